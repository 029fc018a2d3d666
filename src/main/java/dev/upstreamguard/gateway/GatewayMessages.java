package dev.upstreamguard.gateway;

import dev.upstreamguard.cluster.ObjectRef;

/**
 * The phrases that name Gateway API links in findings, in the house style: the route, the field, where it matches,
 * then {@code ->} and the next object. Messages end with a full stop; summaries (for warnings) do not and carry no fix.
 */
public final class GatewayMessages {
    private GatewayMessages() {
    }

    /** {@code HTTPRoute shop/web rules[1].backendRefs[0] (shop.example.com /catalog) -> Service backend/catalog port 80}. */
    public static String chain(RouteBackend b) {
        return b.route() + " " + b.field() + " (" + b.where() + ") -> " + b.target() + " " + b.portLabel();
    }

    /** {@code HTTPRoute shop/web (shop.example.com /catalog) -> Service backend/catalog}: the short form for warnings. */
    public static String shortChain(RouteBackend b) {
        return b.route() + " (" + b.where() + ") -> " + b.target();
    }

    /** {@code HTTPRoute shop/web parentRefs[0] -> Gateway infra/gw listener "http"}. */
    public static String parentChain(ObjectRef route, ParentRef parent) {
        return route + " " + parent.field() + " -> " + parent.describe();
    }

    /** The chain to the parent and why it does not attach: {@code ... -> Gateway infra/gw: <explanation>.} */
    public static String attachmentMessage(ObjectRef route, Attachment a) {
        return parentChain(route, a.parent()) + ": " + a.explanation() + ".";
    }

    /** {@code HTTPRoute shop/web -> Gateway infra/gw: not attached (NotAllowedByListeners)}. */
    public static String attachmentSummary(ObjectRef route, Attachment a) {
        var state = a.attached() ? "attached" : a.judged() ? "not attached" : "not judged";
        return route + " -> " + a.parent().describe() + ": " + state + " (" + a.reason().reasonName() + ")";
    }

    /** The chain to the backend and which grant permits it or why none does. */
    public static String permissionMessage(Permission p) {
        return chain(p.backend()) + ": " + p.explanation() + ".";
    }

    /**
     * {@code HTTPRoute shop/web -> Service cafe/tea: no ReferenceGrant permits it}: without the match, which the rule id
     * makes needless and a warning line has no room for.
     */
    public static String permissionSummary(Permission p) {
        var b = p.backend();
        return b.route() + " -> " + b.target() + (p.permitted() ? ": permitted" : ": no ReferenceGrant permits it");
    }

    /**
     * What a Gateway change does to one route: {@code Gateway infra/gw change detaches HTTPRoute shop/web
     * parentRefs[0]: <why it no longer attaches>.}
     */
    public static String detachedByGatewayChange(ObjectRef gateway, ObjectRef route, Attachment after) {
        return gateway + " change detaches " + route + " " + after.parent().field() + ": " + after.explanation() + ".";
    }
}
