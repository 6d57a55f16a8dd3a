/// The calendar date a template sees through `strftime_now(format)`.
///
/// The caller passes it in (no clock is read while rendering), so prompts are reproducible.
public struct TemplateDate: Sendable, Equatable {
    /// Four-digit year.
    public var year: Int
    /// Month, 1...12.
    public var month: Int
    /// Day of the month, 1...31.
    public var day: Int

    /// A date; out-of-range months and days are rejected when a template formats it.
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ]
    private static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Day of the week, 0 = Sunday (Sakamoto's method, proleptic Gregorian calendar).
    var weekday: Int {
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        let value = (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7
        return value < 0 ? value + 7 : value
    }

    /// C `strftime` of this date at midnight, for the directives chat templates use:
    /// `%Y %y %m %d %e %B %b %h %A %a %H %M %S %%` and the glibc unpadded forms `%-d`, `%-m`.
    func format(_ pattern: String) throws(ChatTemplateError) -> String {
        guard (1...12).contains(month), (1...31).contains(day) else {
            throw .runtime("invalid date \(year)-\(month)-\(day)", line: 0)
        }
        func padded(_ value: Int, _ width: Int = 2) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var result = ""
        var scalars = pattern.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "%" else { result.unicodeScalars.append(scalar); continue }
            var directive = scalars.next()
            let unpadded = directive == "-"
            if unpadded { directive = scalars.next() }
            switch directive {
            case "Y": result += String(year)
            case "y": result += padded(year % 100)
            case "m": result += unpadded ? String(month) : padded(month)
            case "d": result += unpadded ? String(day) : padded(day)
            case "e": result += day < 10 ? " \(day)" : String(day)
            case "B": result += Self.monthNames[month - 1]
            case "b", "h": result += String(Self.monthNames[month - 1].prefix(3))
            case "A": result += Self.weekdayNames[weekday]
            case "a": result += String(Self.weekdayNames[weekday].prefix(3))
            case "H", "M", "S": result += unpadded ? "0" : "00"
            case "%": result += "%"
            default:
                throw .unsupported("strftime directive '%\(directive.map { String($0) } ?? "")'", line: 0)
            }
        }
        return result
    }
}
