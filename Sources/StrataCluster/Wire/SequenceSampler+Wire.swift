import StrataEngine

extension SequenceSampler.Configuration {
    /// Sampler fields in a fixed order: temperature f32, topK i32, topP f32, minP f32, seed flag u8 and
    /// seed u64, presence, frequency and repetition penalties f32, logit bias (u32 count, then i32
    /// token and f32 bias, sorted by token), prompt (u32 count, i32 tokens), minTokens u32, end
    /// tokens (u32 count, i32, sorted), topLogprobs i32 (-1 for none).
    func write(into writer: inout WireWriter) {
        let p = parameters
        writer.f32(p.temperature)
        writer.integer(Int32(clamping: p.topK))
        writer.f32(p.topP)
        writer.f32(p.minP)
        writer.u8(p.seed == nil ? 0 : 1)
        writer.integer(p.seed ?? 0)
        writer.f32(p.presencePenalty)
        writer.f32(p.frequencyPenalty)
        writer.f32(p.repetitionPenalty)
        let bias = p.logitBias.sorted { $0.key < $1.key }
        writer.integer(UInt32(bias.count))
        for (token, value) in bias {
            writer.integer(token)
            writer.f32(value)
        }
        writer.int32Array(prompt)
        writer.integer(UInt32(clamping: minTokens))
        writer.int32Array(endTokens.sorted())
        writer.integer(Int32(clamping: topLogprobs ?? -1))
    }

    static func read(from reader: inout WireReader, limits: WireLimits) throws(WireError) -> Self {
        var p = SamplingParameters()
        p.temperature = try reader.f32("sampler.temperature")
        p.topK = Int(try reader.integer(Int32.self, "sampler.topK"))
        p.topP = try reader.f32("sampler.topP")
        p.minP = try reader.f32("sampler.minP")
        let hasSeed = try reader.u8("sampler.seedFlag")
        let seed = try reader.integer(UInt64.self, "sampler.seed")
        guard hasSeed <= 1 else { throw .invalidField("sampler.seedFlag", reason: "must be 0 or 1") }
        p.seed = hasSeed == 1 ? seed : nil
        p.presencePenalty = try reader.f32("sampler.presencePenalty")
        p.frequencyPenalty = try reader.f32("sampler.frequencyPenalty")
        p.repetitionPenalty = try reader.f32("sampler.repetitionPenalty")
        guard p.temperature.isFinite, p.temperature >= 0, p.topK >= 0, p.topP.isFinite, p.minP.isFinite,
              p.presencePenalty.isFinite, p.frequencyPenalty.isFinite, p.repetitionPenalty.isFinite,
              p.repetitionPenalty > 0
        else { throw .invalidField("sampler", reason: "a sampling parameter is out of range") }
        let biasCount = try reader.count("sampler.logitBias", limit: limits.maxListLength, elementSize: 8)
        for _ in 0 ..< biasCount {
            let token = try reader.integer(Int32.self, "sampler.logitBias.token")
            p.logitBias[token] = try reader.f32("sampler.logitBias.value")
        }
        let prompt = try reader.int32Array("sampler.prompt", limit: limits.maxListLength)
        let minTokens = Int(try reader.integer(UInt32.self, "sampler.minTokens"))
        let endTokens = try reader.int32Array("sampler.endTokens", limit: limits.maxListLength)
        let top = try reader.integer(Int32.self, "sampler.topLogprobs")
        guard top >= -1 else { throw .invalidField("sampler.topLogprobs", reason: "\(top) is below -1") }
        return Self(parameters: p, prompt: prompt, minTokens: minTokens, endTokens: Set(endTokens),
                    topLogprobs: top < 0 ? nil : Int(top))
    }
}
