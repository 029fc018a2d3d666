package dev.upstreamguard.support;

import java.net.URI;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Requests to the management interface of the running test app (health, metrics, {@code GET /audit}): a server of its
 * own, on the free port Quarkus picked for it ({@code %test.quarkus.management.test-port=0}), never the port
 * {@code /validate} is served on.
 */
public final class Management {
    private Management() {
    }

    /** {@code http://localhost:<management port>}, without the {@code /q} root of the Quarkus endpoints. */
    public static URI base() {
        var uri = URI.create(TestHTTPResourceManager.getManagementUri());
        return URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort());
    }

    /** A RestAssured request to the management interface: {@code Management.given().get("/q/metrics")}. */
    public static RequestSpecification given() {
        var base = base();
        return RestAssured.given().baseUri(base.getScheme() + "://" + base.getHost()).port(base.getPort());
    }
}
