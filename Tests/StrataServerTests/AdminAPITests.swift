import Foundation
import Hummingbird
import HummingbirdTesting
import StrataCatalog
import Testing
@testable import StrataServer

/// `/admin/v1/*`: named keys, the catalog operations, and the audit log's actor.
@Suite struct AdminAPITests {
    private func keys(_ entries: String...) throws -> AdminKeys {
        var keys = AdminKeys()
        for entry in entries { try keys.add(entry) }
        return keys
    }

    @Test func keysAreNamedAndChecked() throws {
        var keys = AdminKeys()
        try keys.add(fileContents: "# operators\nalice=0123456789abcdef\n\n  bob=fedcba9876543210xyz  \n")
        #expect(keys.keys.map(\.name) == ["alice", "bob"])
        #expect(keys.name(forAuthorization: "Bearer 0123456789abcdef") == "alice")
        #expect(keys.name(forAuthorization: "Bearer fedcba9876543210xyz") == "bob")
        #expect(keys.name(forAuthorization: "Bearer 0123456789abcde") == nil)
        #expect(keys.name(forAuthorization: "0123456789abcdef") == nil)
        #expect(keys.name(forAuthorization: nil) == nil)
        #expect(throws: AdminKeyError.malformed("'n…' (9 characters)")) { var copy = keys; try copy.add("nokeyhere") }
        #expect(throws: AdminKeyError.weakKey("carol")) { var copy = keys; try copy.add("carol=short") }
        #expect(throws: AdminKeyError.invalidName("ca rol")) { var copy = keys; try copy.add("ca rol=0123456789abcdefgh") }
        #expect(throws: AdminKeyError.duplicate("alice")) { var copy = keys; try copy.add("alice=another-long-secret") }
        #expect(throws: AdminKeyError.duplicate("dave")) { var copy = keys; try copy.add("dave=0123456789abcdef") }
    }

    @Test func withoutKeysTheAdminAPIIsClosed() async throws {
        let fixture = try CatalogServerFixture()
        try await fixture.application().test(.router) { client in
            let answer = try await client.execute(uri: "/admin/v1/models", method: .get)
            #expect(answer.status == .forbidden)
            #expect(try answer.error()["code"] as? String == "admin_disabled")
        }
    }

    @Test func operationsNeedAKeyAndAreAuditedUnderItsName() async throws {
        let fixture = try CatalogServerFixture()
        let app = try fixture.application(adminKeys: try keys("ops-alice=alice-secret-0123456789", "deploy-bot=bot-secret-0123456789"))
        let alice: HTTPFields = [.authorization: "Bearer alice-secret-0123456789"]
        let bot: HTTPFields = [.authorization: "Bearer bot-secret-0123456789"]
        let loaded = fixture.loaded, other = fixture.other, catalog = fixture.catalog
        try await app.test(.router) { client in
            for headers: HTTPFields in [[:], [.authorization: "Bearer wrong-secret-0123456789"], [.authorization: "alice-secret-0123456789"]] {
                let refused = try await client.execute(uri: "/admin/v1/models", method: .get, headers: headers)
                #expect(refused.status == .unauthorized)
                #expect(try refused.error()["code"] as? String == "invalid_admin_key")
                let change = try await client.post("/admin/v1/alias/set", json: #"{"alias": "gemma:stable", "reference": "gemma"}"#, headers: headers)
                #expect(change.status == .unauthorized)
            }
            #expect(try catalog.auditLog().allSatisfy { $0.actor == "setup" }, "refused requests change nothing")

            let list = try await client.execute(uri: "/admin/v1/models", method: .get, headers: alice)
            #expect(list.status == .ok)
            let models = try #require(try list.object()["data"] as? [[String: Any]])
            let versions = try #require(models.first?["versions"] as? [[String: Any]])
            #expect(versions.map { $0["label"] as? String } == ["q4", "vocab"])
            #expect(versions.map { $0["loaded"] as? Bool } == [true, false])
            #expect((models.first?["aliases"] as? [String: String])?["gemma:latest"] == loaded.reference)

            let moved = try await client.post(
                "/admin/v1/alias/set", json: #"{"alias": "gemma:stable", "reference": "\#(other.reference)"}"#, headers: alice)
            #expect(moved.status == .ok, "\(String(buffer: moved.body))")
            #expect(try moved.object()["old"] is NSNull)
            #expect((try moved.object()["new"] as? [String: Any])?["reference"] as? String == other.reference)
            #expect(try catalog.auditLog().last?.actor == "ops-alice")
            #expect(try catalog.auditLog().last?.action == "alias.set")

            let pinned = try await client.post(
                "/admin/v1/pin/set", json: #"{"pin": "prod", "reference": "gemma:latest", "owner": "team-chat"}"#, headers: bot)
            #expect(pinned.status == .ok)
            #expect(try catalog.auditLog().last?.actor == "deploy-bot")
            let shown = try await client.execute(uri: "/admin/v1/show?reference=prod", method: .get, headers: bot).object()
            #expect(shown["route"] as? String == "pin prod")
            #expect((shown["version"] as? [String: Any])?["loaded"] as? Bool == true)

            let deprecated = try await client.post(
                "/admin/v1/deprecate", json: #"{"reference": "\#(other.reference)", "note": "old", "sunset": "2027-01-31"}"#, headers: bot)
            #expect((try deprecated.object())["status"] as? String == "deprecated")
            let badDay = try await client.post(
                "/admin/v1/deprecate", json: #"{"reference": "gemma", "note": "x", "sunset": "2027-13-01"}"#, headers: bot)
            #expect(badDay.status == .badRequest)

            // Retiring: refused while aliases point at it, and while this server has it loaded.
            let blocked = try await client.post("/admin/v1/retire", json: #"{"reference": "\#(other.reference)"}"#, headers: alice)
            #expect(blocked.status == .conflict)
            #expect((try blocked.error()["message"] as? String)?.contains("gemma:stable") == true)
            #expect(try await client.post("/admin/v1/alias/remove", json: #"{"alias": "gemma:stable"}"#, headers: alice).status == .ok)
            let retired = try await client.post("/admin/v1/retire", json: #"{"reference": "\#(other.reference)"}"#, headers: alice)
            #expect(retired.status == .ok)
            #expect(try retired.object()["status"] as? String == "retired")
            #expect(try await client.post("/admin/v1/pin/remove", json: #"{"pin": "prod"}"#, headers: bot).status == .ok)
            #expect(try await client.post("/admin/v1/alias/remove", json: #"{"alias": "gemma:latest"}"#, headers: alice).status == .ok)
            let loadedRetire = try await client.post("/admin/v1/retire", json: #"{"reference": "\#(loaded.reference)"}"#, headers: alice)
            #expect(loadedRetire.status == .conflict)
            #expect((try loadedRetire.error()["message"] as? String)?.contains("loaded") == true)
            #expect(try catalog.lookup(loaded.reference).version.status == .active)

            let unknown = try await client.execute(uri: "/admin/v1/show?reference=nothing", method: .get, headers: alice)
            #expect(unknown.status == .notFound)
            let audit = try #require(try await client.execute(uri: "/admin/v1/audit?model=gemma", method: .get, headers: alice).object()["data"] as? [[String: Any]])
            #expect(audit.compactMap { $0["actor"] as? String }.suffix(7) == [
                "ops-alice", "deploy-bot", "deploy-bot", "ops-alice", "ops-alice", "deploy-bot", "ops-alice",
            ])
            #expect(audit.compactMap { $0["action"] as? String }.suffix(7) == [
                "alias.set", "pin.set", "version.deprecate", "alias.remove", "version.retire", "pin.remove", "alias.remove",
            ])
        }
    }
}
