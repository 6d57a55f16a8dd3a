import XCTest

@testable import StrataChat

final class TemplateDateTests: XCTestCase {
    /// Expected strings from Python's `datetime.strftime`.
    func testFormatsLikePythonStrftime() throws {
        let pattern = "%d %b %Y|%-d %B %y|%A %a %m %-m %e|%H:%M:%S %%"
        let cases: [(TemplateDate, String)] = [
            (TemplateDate(year: 2026, month: 1, day: 15), "15 Jan 2026|15 January 26|Thursday Thu 01 1 15|00:00:00 %"),
            (TemplateDate(year: 2024, month: 2, day: 29), "29 Feb 2024|29 February 24|Thursday Thu 02 2 29|00:00:00 %"),
            (TemplateDate(year: 2000, month: 12, day: 3), "03 Dec 2000|3 December 00|Sunday Sun 12 12  3|00:00:00 %"),
            (TemplateDate(year: 1999, month: 7, day: 4), "04 Jul 1999|4 July 99|Sunday Sun 07 7  4|00:00:00 %"),
        ]
        for (date, expected) in cases { XCTAssertEqual(try date.format(pattern), expected) }
    }

    func testStrftimeNowUsesTheCallersDate() throws {
        let template = try ChatTemplate(source: "Today Date: {{ strftime_now('%d %b %Y') }}")
        let rendered = try template.render(
            messages: [], addGenerationPrompt: false, bosToken: "", eosToken: "", date: TemplateDate(year: 2026, month: 1, day: 15))
        XCTAssertEqual(rendered, "Today Date: 15 Jan 2026")
    }

    func testBadDatesAndDirectivesFail() {
        XCTAssertThrowsError(try TemplateDate(year: 2026, month: 13, day: 1).format("%Y"))
        XCTAssertThrowsError(try TemplateDate(year: 2026, month: 1, day: 1).format("%Q")) {
            XCTAssertEqual($0 as? ChatTemplateError, .unsupported("strftime directive '%Q'", line: 0))
        }
    }
}
