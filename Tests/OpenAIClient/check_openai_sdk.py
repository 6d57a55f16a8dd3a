"""The official `openai` Python SDK, unchanged, against a running `strata serve`.

Usage: check_openai_sdk.py BASE_URL API_KEY. Exits 0 when every check passes; an assertion
names the first one that fails. Run by ServeCommandTests.testOpenAIPythonSDK (make test).
"""
import sys

import openai

GOLDEN = " the capital of the country of France."


def main(base_url: str, api_key: str) -> None:
    client = openai.OpenAI(base_url=base_url + "/v1", api_key=api_key, max_retries=0, timeout=300)
    model = client.models.list().data[0].id

    # Completions, non-streamed: greedy golden text, usage, fingerprint.
    done = client.completions.create(model=model, prompt="The capital of France is", max_tokens=8, temperature=0)
    assert done.choices[0].text == GOLDEN, done
    assert done.choices[0].finish_reason == "length", done
    assert (done.usage.prompt_tokens, done.usage.completion_tokens, done.usage.total_tokens) == (6, 8, 14), done
    assert done.usage.prompt_tokens_details.cached_tokens is not None, done
    assert done.system_fingerprint.startswith("fp_"), done

    # Completions, streamed, with a usage chunk.
    chunks = list(client.completions.create(
        model=model, prompt="The capital of France is", max_tokens=8, temperature=0, stream=True,
        stream_options={"include_usage": True}))
    assert "".join(c.choices[0].text for c in chunks if c.choices) == GOLDEN, chunks
    assert chunks[-1].usage.completion_tokens == 8, chunks[-1]

    # Stop strings.
    stopped = client.completions.create(
        model=model, prompt="The capital of France is", max_tokens=8, temperature=0, stop=["country"])
    assert stopped.choices[0].text == " the capital of the ", stopped
    assert stopped.choices[0].finish_reason == "stop", stopped

    # n = 2 with a seed: two different choices, reproducible.
    def sampled():
        answer = client.completions.create(
            model=model, prompt="Once upon a time", max_tokens=12, temperature=1, n=2, seed=42,
            extra_body={"ignore_eos": True})
        return [choice.text for choice in sorted(answer.choices, key=lambda c: c.index)], answer.usage
    first, usage = sampled()
    assert len(first) == 2 and first[0] != first[1], first
    assert sampled()[0] == first
    assert usage.completion_tokens == 24, usage

    # Logprobs in both formats.
    scored = client.completions.create(model=model, prompt="The capital of France is", max_tokens=4, temperature=0, logprobs=2)
    assert len(scored.choices[0].logprobs.tokens) == 4, scored
    assert all(len(top) == 2 for top in scored.choices[0].logprobs.top_logprobs), scored

    # Chat, non-streamed and streamed, the same greedy text.
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hello."}]
    chat = client.chat.completions.create(model=model, messages=messages, max_tokens=10, temperature=0,
                                          logprobs=True, top_logprobs=2)
    reply = chat.choices[0].message
    assert reply.role == "assistant" and reply.content, chat
    assert len(chat.choices[0].logprobs.content) == chat.usage.completion_tokens, chat
    stream = client.chat.completions.create(model=model, messages=messages, max_tokens=10, temperature=0, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == reply.content

    # Errors surface as the SDK's exceptions.
    expect(openai.NotFoundError, lambda: client.completions.create(model="gpt-4", prompt="x", max_tokens=1))
    expect(openai.BadRequestError, lambda: client.completions.create(model=model, prompt="x", temperature=5))
    expect(openai.BadRequestError, lambda: client.completions.create(model=model, prompt="word " * 3000, max_tokens=8))
    expect(openai.BadRequestError, lambda: client.chat.completions.create(model=model, messages=[], max_tokens=1))
    wrong = openai.OpenAI(base_url=base_url + "/v1", api_key="wrong-" + api_key, max_retries=0)
    expect(openai.AuthenticationError, lambda: wrong.models.list())


def expect(error_type, call) -> None:
    try:
        call()
    except error_type as error:
        body = error.body if isinstance(error.body, dict) else {}
        assert {"message", "type", "param", "code"} <= set(body), error.body
        return
    raise AssertionError(f"expected {error_type.__name__}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
    print("openai SDK checks passed")
