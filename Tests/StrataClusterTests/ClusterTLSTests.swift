import Foundation
import StrataCluster
import StrataEngine
import StrataTestSupport
import XCTest

/// A worker serving HTTP/2 over TLS (`--tls-cert`/`--tls-key`) and coordinators that trust it,
/// do not trust it, or do not speak TLS.
final class ClusterTLSTests: XCTestCase {
    /// A self-signed certificate for 127.0.0.1 and its key, made with `openssl` in `directory`.
    private func makeCertificate(in directory: URL, name: String) throws -> (cert: String, key: String) {
        let cert = directory.appendingPathComponent("\(name).pem").path
        let key = directory.appendingPathComponent("\(name).key").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=strata-worker",
                             "-addext", "subjectAltName=IP:127.0.0.1"]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else {
            throw MissingTestResource(description: "openssl could not make a test certificate (is openssl installed?)")
        }
        return (cert, key)
    }

    func testATLSWorkerServesTrustingCoordinatorsOnly() async throws {
        let loaded = try ClusterHarness.load()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("strata-tls-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let worker = try makeCertificate(in: directory, name: "worker")
        let stranger = try makeCertificate(in: directory, name: "stranger")
        let process = try WorkerProcess.start(layers: "0:18", token: ClusterHarness.token, model: loaded.path,
                                              extraArguments: ["--tls-cert", worker.cert, "--tls-key", worker.key])
        defer { process.stop() }
        let address = [WorkerAddress(host: "127.0.0.1", port: process.port)]
        let token = try ClusterToken(ClusterHarness.token)

        let plain = Pipeline(addresses: address, token: token, modelDigest: loaded.digest)
        do {
            _ = try await plain.handshake()
            XCTFail("an h2c coordinator reached a TLS worker")
        } catch {}
        let untrusting = Pipeline(addresses: address, token: token, modelDigest: loaded.digest,
                                  tls: try ClusterTLS.client(trustPath: stranger.cert))
        do {
            _ = try await untrusting.handshake()
            XCTFail("a coordinator trusting another certificate accepted the worker")
        } catch {}

        let pipeline = Pipeline(addresses: address, token: token, modelDigest: loaded.digest,
                                tls: try ClusterTLS.client(trustPath: worker.cert))
        let executor = PipelineExecutor(pipeline: pipeline, layout: try await pipeline.handshake())
        let engine = try ClusterEngine.make(executor: executor, tokenizer: loaded.tokenizer,
                                            configuration: EngineConfiguration(contextLength: 256, threads: 1))
        engine.start()
        let prompt = loaded.tokenizer.encode("The capital of France is", addBOS: true, parseSpecial: false)
        let result = await ClusterHarness.collect(try engine.submit(GenerationRequest(prompt: prompt, maxTokens: 8, sampling: .greedy)))
        engine.drain()
        await engine.waitForExit()
        XCTAssertEqual(result.finishReason, .length)
        XCTAssertEqual(loaded.tokenizer.decode(result.tokens), " the capital of the country of France.")
    }
}
