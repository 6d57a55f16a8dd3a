import Foundation
import HummingbirdTesting
import StrataCatalog
import Testing
@testable import StrataServer

/// Catalog references routed to loaded versions, deprecation headers, and 404s, through the
/// router and the HTTP API without sockets.
@Suite struct CatalogRoutingTests {
    @Test func everyReferenceFormReachesTheLoadedVersion() throws {
        let fixture = try CatalogServerFixture()
        try fixture.catalog.setPin("prod", to: fixture.loaded.reference, owner: "team", actor: "a")
        let router = try fixture.router()
        let prefix = "gemma@sha256:" + fixture.loaded.digest.prefix(8)
        for name in [nil, "", "gemma", "gemma:latest", prefix, fixture.loaded.reference, "prod"] {
            let routed = try router.route(name)
            #expect(routed.model.id == fixture.loaded.reference, "\(name ?? "nil")")
            #expect(routed.version?.id == fixture.loaded.id)
            #expect(routed.headers[RoutedModel.versionHeader] == fixture.loaded.reference)
            #expect(routed.headers[RoutedModel.deprecationHeader] == nil)
        }
        #expect(router.loadedDigests == [fixture.loaded.digest])
    }

    @Test func unknownRetiredAndUnloadedVersionsAre404() throws {
        let fixture = try CatalogServerFixture()
        let router = try fixture.router()
        for name in ["nothing", "gemma:beta", "gemma@sha256:ffffffff", "not a name!"] {
            #expect(throws: APIError.self) { try router.route(name) }
            do throws(APIError) { _ = try router.route(name) } catch {
                #expect(error.status == .notFound, "\(name): \(error)")
                #expect(error.code == "model_not_found")
            }
        }
        // The other version exists but is not loaded here.
        let other = fixture.other.reference
        do throws(APIError) {
            _ = try router.route(other)
            Issue.record("an unloaded version was routed")
        } catch {
            #expect(error.status == .notFound)
            #expect(error.message.contains("has not loaded"), "\(error)")
        }
        // Moving latest to it makes bare `gemma` (and the default) follow, to a 404.
        try fixture.catalog.setAlias("gemma:latest", to: other, actor: "a")
        #expect(throws: APIError.self) { try router.route("gemma") }
        #expect(throws: APIError.self) { try router.route(nil) }
        try fixture.catalog.setAlias("gemma:latest", to: fixture.loaded.reference, actor: "a")
        #expect(try router.route(nil).model.id == fixture.loaded.reference)
        // Retired: 404 saying so.
        try fixture.catalog.retire(other, actor: "a")
        do throws(APIError) {
            _ = try router.route(other)
            Issue.record("a retired version was routed")
        } catch {
            #expect(error.status == .notFound)
            #expect(error.code == "model_not_found")
            #expect(error.message.contains("retired"), "\(error)")
        }
    }

    @Test func answersNameTheVersionAndDeprecationIsAnnounced() async throws {
        let fixture = try CatalogServerFixture()
        let app = try fixture.application()
        let loaded = fixture.loaded
        let catalog = fixture.catalog
        try await app.test(.router) { client in
            let request = #"{"model": "gemma", "prompt": "The capital of France is", "max_tokens": 2, "temperature": 0}"#
            let fresh = try await client.post("/v1/completions", json: request)
            #expect(fresh.status == .ok)
            #expect(fresh.headers[RoutedModel.versionHeader] == loaded.reference)
            #expect(fresh.headers[RoutedModel.deprecationHeader] == nil)
            #expect(fresh.headers[RoutedModel.warningHeader] == nil)
            let object = try fresh.object()
            #expect(object["model"] as? String == loaded.reference)
            #expect(object["system_fingerprint"] as? String == "fp_" + loaded.digest.prefix(16))

            try catalog.deprecate("gemma", note: "use \"v2\" instead", sunset: "2027-06-30", actor: "a")
            let deprecatedAt = try #require(try catalog.deprecationTime(of: loaded))
            for (path, body) in [
                ("/v1/completions", request),
                ("/v1/chat/completions", #"{"model": "gemma:latest", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2, "stream": true}"#),
                ("/tokenize", #"{"model": "gemma", "prompt": "Hi"}"#),
            ] {
                let answer = try await client.post(path, json: body)
                #expect(answer.status == .ok, "\(path)")
                #expect(answer.headers[RoutedModel.versionHeader] == loaded.reference, "\(path)")
                #expect(answer.headers[RoutedModel.deprecationHeader] == "@\(Int(deprecatedAt.timeIntervalSince1970))", "\(path)")
                #expect(answer.headers[RoutedModel.sunsetHeader] == "Wed, 30 Jun 2027 00:00:00 GMT", "\(path)")
                let warning = try #require(answer.headers[RoutedModel.warningHeader])
                #expect(warning.hasPrefix("299 strata \"\(loaded.reference) (q4) is deprecated: use \\\"v2\\\" instead; sunset 2027-06-30\""), "\(warning)")
            }
            // /v1/models shows status, digest, aliases.
            let listed = try #require(try await client.execute(uri: "/v1/models", method: .get).object()["data"] as? [[String: Any]])
            #expect(listed.count == 1)
            #expect(listed[0]["id"] as? String == loaded.reference)
            #expect(listed[0]["digest"] as? String == "sha256:" + loaded.digest)
            #expect(listed[0]["status"] as? String == "deprecated")
            #expect(listed[0]["aliases"] as? [String] == ["gemma:latest"])
            #expect(listed[0]["label"] as? String == "q4")

            let unknown = try await client.post("/v1/completions", json: #"{"model": "gemma:nope", "prompt": "x", "max_tokens": 1}"#)
            #expect(unknown.status == .notFound)
            #expect(try unknown.error()["code"] as? String == "model_not_found")
            try catalog.retire(fixture.other.reference, actor: "a")
            let retired = try await client.post("/v1/completions", json: #"{"model": "\#(fixture.other.reference)", "prompt": "x", "max_tokens": 1}"#)
            #expect(retired.status == .notFound)
            #expect((try retired.error()["message"] as? String)?.contains("retired") == true)
        }
    }

    @Test func headerTextIsQuotedSafely() {
        #expect(RoutedModel.quotable(#"a "b" \ c é"#) == #"a \"b\" \\ c ?"#)
        #expect(RoutedModel.httpDate("2027-06-30") == "Wed, 30 Jun 2027 00:00:00 GMT")
        #expect(RoutedModel.httpDate("2027-02-30") == nil)
    }
}
