extension ChatTemplate {
    /// The template for a model whose GGUF carries none, chosen by `general.architecture`.
    ///
    /// - Throws: ``ChatTemplateError/noBuiltinTemplate(architecture:)`` for architectures without one.
    public static func builtin(architecture: String) throws(ChatTemplateError) -> ChatTemplate {
        switch architecture {
        case "gemma", "gemma2", "gemma3", "gemma3n": return try ChatTemplate(source: gemmaSource)
        default: throw .noBuiltinTemplate(architecture: architecture)
        }
    }

    /// Gemma's `<start_of_turn>` format, as in Gemma 3's official template: `bos_token` first,
    /// a system message prepended (with a blank line) to the first user turn, the assistant
    /// rendered as `model`, and `<start_of_turn>model\n` as the generation prompt.
    static let gemmaSource = """
        {{ bos_token }}
        {%- if messages[0]['role'] == 'system' -%}
            {%- set first_user_prefix = messages[0]['content'] + '\\n\\n' -%}
            {%- set loop_messages = messages[1:] -%}
        {%- else -%}
            {%- set first_user_prefix = "" -%}
            {%- set loop_messages = messages -%}
        {%- endif -%}
        {%- for message in loop_messages -%}
            {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}
                {{ raise_exception("Conversation roles must alternate user/assistant/user/assistant/...") }}
            {%- endif -%}
            {%- if (message['role'] == 'assistant') -%}
                {%- set role = "model" -%}
            {%- else -%}
                {%- set role = message['role'] -%}
            {%- endif -%}
            {{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else "") }}
            {{- message['content'] | trim }}
            {{- '<end_of_turn>\\n' }}
        {%- endfor -%}
        {%- if add_generation_prompt -%}
            {{ '<start_of_turn>model\\n' }}
        {%- endif -%}
        """
}
