/// A parsed Jinja expression.
indirect enum Expression {
    case literal(Value)
    case name(String)
    case list([Expression])
    case dict([(key: Expression, value: Expression)])
    case attribute(Expression, String)
    case `subscript`(Expression, Expression)
    case slice(Expression, start: Expression?, stop: Expression?, step: Expression?)
    case call(Expression, Arguments)
    case filter(Expression, name: String, Arguments)
    case test(Expression, name: String, Arguments, negated: Bool)
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    case and(Expression, Expression)
    case or(Expression, Expression)
    /// `value if condition else otherwise`; a missing `else` yields undefined.
    case conditional(value: Expression, condition: Expression, otherwise: Expression?)
}

/// Positional and keyword arguments of a call, filter or test.
struct Arguments {
    var positional: [Expression] = []
    var keyword: [(name: String, value: Expression)] = []
}

enum UnaryOperator { case not, negate, plus }

enum BinaryOperator: String {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//"
    case modulo = "%", power = "**", concat = "~"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case contains = "in", notContains = "not in"
}

/// What a `{% set %}` assigns to.
enum SetTarget {
    case name(String)
    /// `namespace.attribute`
    case attribute(String, String)
}

/// A template statement; each carries its source line for error messages.
indirect enum Node {
    case text(String)
    case output(Expression, line: Int)
    case ifChain(branches: [(condition: Expression, body: [Node])], otherwise: [Node], line: Int)
    case forLoop(targets: [String], iterable: Expression, filter: Expression?, body: [Node], otherwise: [Node], line: Int)
    case set(SetTarget, Expression, line: Int)
}
