package dev.upstreamguard.events;

import dev.upstreamguard.cluster.ObjectRef;

/**
 * One Event to write on an object.
 *
 * @param object     the object the finding was raised on (the reviewed one)
 * @param apiVersion its apiVersion, for the Event's involvedObject
 * @param uid        its uid, or null on a CREATE (looked up once the object exists)
 * @param reason     {@code UpstreamGuardWouldDeny}, {@code UpstreamGuardWarning} or {@code UpstreamGuardWaived}
 * @param rule       the rule id, for de-duplication
 * @param message    {@code [rule-id] ...}, the message the response carries
 */
public record GuardEvent(ObjectRef object, String apiVersion, String uid, String reason, String rule, String message) {

    public GuardEvent withUid(String u) {
        return new GuardEvent(object, apiVersion, u, reason, rule, message);
    }
}
