import Hummingbird

/// `GET /v1/models`: the one served model.
struct ModelsRoute: Sendable {
    let model: ServedModel

    struct ModelList: Encodable {
        var object = "list"
        var data: [Entry]
    }

    struct Entry: Encodable {
        var id: String
        var object = "model"
        var created: Int
        var ownedBy = "strata"
        var maxModelLen: Int

        enum CodingKeys: String, CodingKey {
            case id, object, created
            case ownedBy = "owned_by"
            case maxModelLen = "max_model_len"
        }
    }

    func respond() throws(APIError) -> Response {
        try JSONBody.response(ModelList(data: [
            Entry(id: model.id, created: model.created, maxModelLen: model.engine.contextLength),
        ]))
    }
}
