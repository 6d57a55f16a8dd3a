import Testing
@testable import StrataServer

/// Choosing h2c or HTTP/1.1 from a connection's first bytes.
@Suite struct HTTP2PriorKnowledgeDetectorTests {
    @Test func theFullPrefaceIsHTTP2() {
        #expect(HTTP2PriorKnowledgeDetector.decide(HTTP2PriorKnowledgeDetector.preface) == .http2)
        #expect(HTTP2PriorKnowledgeDetector.decide(HTTP2PriorKnowledgeDetector.preface + [0, 0, 18, 4]) == .http2)
    }

    @Test func aPrefixOfThePrefaceNeedsMoreBytes() {
        #expect(HTTP2PriorKnowledgeDetector.decide([UInt8]()) == .needMoreBytes)
        #expect(HTTP2PriorKnowledgeDetector.decide(Array("PRI * HTTP/2".utf8)) == .needMoreBytes)
    }

    @Test func anHTTP1RequestIsHTTP1AtTheFirstDifferentByte() {
        #expect(HTTP2PriorKnowledgeDetector.decide(Array("POST /v1/completions HTTP/1.1\r\n".utf8)) == .http1)
        #expect(HTTP2PriorKnowledgeDetector.decide(Array("P".utf8)) == .needMoreBytes)
        #expect(HTTP2PriorKnowledgeDetector.decide(Array("PO".utf8)) == .http1)
        #expect(HTTP2PriorKnowledgeDetector.decide(Array("GET / HTTP/1.1\r\n".utf8)) == .http1)
    }
}
