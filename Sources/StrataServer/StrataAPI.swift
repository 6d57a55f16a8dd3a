import Hummingbird

/// The OpenAI-compatible API over the served models: its routes, middleware and metrics, and
/// the catalog's admin API.
public struct StrataAPI: Sendable {
    /// Routes each request to the model that answers it.
    public let router: ModelRouter
    /// Metrics of this API (printed by `/metrics`).
    public let metrics: ServerMetrics
    /// When set, `/v1/*` needs `Authorization: Bearer <apiKey>`.
    public var apiKey: String?
    /// When set with `apiKey`, `/metrics` needs the key too.
    public var metricsNeedKey: Bool
    /// Named keys of `/admin/v1/*` (none: the admin API answers 403).
    public var adminKeys: AdminKeys
    /// Request limits.
    public var limits: ServerLimits

    /// An API over the models `router` serves.
    public init(
        router: ModelRouter, apiKey: String? = nil, metricsNeedKey: Bool = false, adminKeys: AdminKeys = AdminKeys(),
        limits: ServerLimits = .init(), metrics: ServerMetrics = ServerMetrics()
    ) {
        self.router = router
        self.apiKey = apiKey
        self.metricsNeedKey = metricsNeedKey
        self.adminKeys = adminKeys
        self.limits = limits
        self.metrics = metrics
    }

    /// An API over the one model `model`, served by path.
    public init(
        model: ServedModel, apiKey: String? = nil, metricsNeedKey: Bool = false, limits: ServerLimits = .init(),
        metrics: ServerMetrics = ServerMetrics()
    ) throws(ServerSetupError) {
        self.init(router: try ModelRouter(models: [model]), apiKey: apiKey, metricsNeedKey: metricsNeedKey,
                  limits: limits, metrics: metrics)
    }

    /// The router serving every endpoint.
    public func makeRouter() -> Router<StrataRequestContext> {
        let router = Router(context: StrataRequestContext.self)
        router.add(middleware: APIErrorMiddleware(metrics: metrics))
        let completions = CompletionsRoute(router: self.router, metrics: metrics, limits: limits)
        let chat = ChatCompletionsRoute(router: self.router, metrics: metrics, limits: limits)
        let models = ModelsRoute(router: self.router)
        let tokenize = TokenizeRoutes(router: self.router, limits: limits)
        let health = HealthRoutes(router: self.router)
        let metricsRoute = MetricsRoute(router: self.router, metrics: metrics)

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

        let admin = router.group("/admin/v1").add(middleware: AdminKeyMiddleware(keys: adminKeys))
        AdminRoutes(router: self.router, limits: limits).register(on: admin)
        return router
    }
}
