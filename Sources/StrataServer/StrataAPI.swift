import Hummingbird

/// The OpenAI-compatible API over one served model: its routes, middleware and metrics.
public struct StrataAPI: Sendable {
    /// The model that answers.
    public let model: ServedModel
    /// Metrics of this API (printed by `/metrics`).
    public let metrics: ServerMetrics
    /// When set, `/v1/*` needs `Authorization: Bearer <apiKey>`.
    public var apiKey: String?
    /// When set with `apiKey`, `/metrics` needs the key too.
    public var metricsNeedKey: Bool
    /// Request limits.
    public var limits: ServerLimits

    /// An API over `model`.
    public init(
        model: ServedModel, apiKey: String? = nil, metricsNeedKey: Bool = false, limits: ServerLimits = .init(),
        metrics: ServerMetrics = ServerMetrics()
    ) {
        self.model = model
        self.apiKey = apiKey
        self.metricsNeedKey = metricsNeedKey
        self.limits = limits
        self.metrics = metrics
    }

    /// The router serving every endpoint.
    public func makeRouter() -> Router<StrataRequestContext> {
        let router = Router(context: StrataRequestContext.self)
        router.add(middleware: APIErrorMiddleware(metrics: metrics))
        let completions = CompletionsRoute(model: model, metrics: metrics, limits: limits)
        let chat = ChatCompletionsRoute(model: model, metrics: metrics, limits: limits)
        let models = ModelsRoute(model: model)
        let tokenize = TokenizeRoutes(model: model, limits: limits)
        let health = HealthRoutes(model: model)
        let metricsRoute = MetricsRoute(model: model, metrics: metrics)

        router.get("/health") { _, _ in try health.health() }
        router.get("/ready") { _, _ in try health.ready() }
        let keyed = apiKey.map { APIKeyMiddleware<StrataRequestContext>(key: $0) }
        if metricsNeedKey, let keyed {
            router.group("/metrics").add(middleware: keyed).get { _, _ in metricsRoute.respond() }
        } else {
            router.get("/metrics") { _, _ in metricsRoute.respond() }
        }
        router.post("/tokenize") { request, _ in try await tokenize.tokenize(request) }
        router.post("/detokenize") { request, _ in try await tokenize.detokenize(request) }

        let v1 = router.group("/v1")
        if let keyed { v1.add(middleware: keyed) }
        v1.post("/completions") { request, context in try await completions.respond(to: request, closeFuture: context.closeFuture) }
        v1.post("/chat/completions") { request, context in try await chat.respond(to: request, closeFuture: context.closeFuture) }
        v1.get("/models") { _, _ in try models.respond() }
        return router
    }
}
