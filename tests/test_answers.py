"""How an answer reads decides the next move: real answers must never go down a wrong path."""

from __future__ import annotations

import pytest

from interviewer.interview.answer_kinds import AnswerKind, classify, classify_reply_to_offer

K = AnswerKind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # The issue's own examples.
        pytest.param(
            "Skip connections let gradients flow through identity paths.",
            K.substantive,
            id="skip-connections",
        ),
        pytest.param(
            "I'm not sure, but I'd check the ablation in table 3.", K.hedged, id="hedged-ablation"
        ),
        pytest.param("CTR, NDCG, MRR", K.substantive, id="metric-acronyms"),
        # ML shorthand is never garbled.
        pytest.param("p99 < 80ms; A/B on 5% of traffic", K.substantive, id="shorthand"),
        pytest.param("KL(q||p) + E_q[log p(x|z)]", K.substantive, id="maths-notation"),
        pytest.param("L2, dropout, early stopping", K.substantive, id="regularisers"),
        pytest.param("BPE", K.substantive, id="one-acronym"),
        pytest.param("XGBoost with SHAP", K.substantive, id="camel-case-names"),
        pytest.param(
            "Pass the features through a standard scaler first.", K.substantive, id="pass-as-a-verb"
        ),
        pytest.param(
            "Not sure that matters: the label delay dominates, so I'd fix that first.",
            K.hedged,
            id="not-sure-then-content",
        ),
        # Don't-know only when nothing else is offered.
        pytest.param("I don't know", K.dont_know, id="dont-know"),
        pytest.param("idk, sorry", K.dont_know, id="idk"),
        pytest.param("no idea honestly", K.dont_know, id="no-idea"),
        pytest.param("Not sure.", K.dont_know, id="not-sure"),
        pytest.param("pass", K.dont_know, id="pass"),
        pytest.param("I can't remember, sorry.", K.dont_know, id="cant-remember"),
        # Hedged answers are answers.
        pytest.param(
            "I think the model overfits: train loss falls while validation rises.",
            K.hedged,
            id="i-think",
        ),
        pytest.param("Maybe a time-based split, to avoid leakage.", K.hedged, id="maybe"),
        # Questions back.
        pytest.param("What is the latency budget?", K.question, id="question"),
        pytest.param("Is the label delayed? How long?", K.question, id="two-questions"),
        pytest.param(
            "Before I go on, how was the 0.93 measured?", K.question, id="a-decimal-in-a-question"
        ),
        pytest.param(
            "I'd use precision at k. Does that work for you?",
            K.substantive,
            id="answer-then-question",
        ),
        # Code, never empty.
        pytest.param("```python\ndef f(x):\n    return x\n```", K.code, id="fenced-code"),
        pytest.param("def ndcg(scores, k):\n    return 0.0", K.code, id="bare-def"),
        pytest.param("x = 1\ny = x + 2\nreturn y", K.code, id="code-lines"),
        pytest.param(
            "```python\nimport numpy as np\ndef f(x) -> float:\n    return x ** 2\n```",
            K.code,
            id="code-with-a-return-arrow",
        ),
        # A derivation typed line by line is maths, not code (research-math).
        pytest.param(
            "z = w x + b\np = sigma(z)\nloss = -log p\n=> dloss/dz = p - y",
            K.substantive,
            id="derivation-lines",
        ),
        pytest.param(
            "\\frac{\\partial L}{\\partial z} = p - y\n= \\sigma(z) - y\n=> gradient = (p - y) x",
            K.substantive,
            id="derivation-latex",
        ),
        pytest.param(
            "```\nE[(y - f)^2] = Var(f) + Bias^2 + noise\n= E[f^2] - E[f]^2 + ...\n```",
            K.substantive,
            id="derivation-in-a-fence",
        ),
        # Metric names that start with a word for skipping are answers.
        pytest.param("pass@k", K.substantive, id="pass-at-k"),
        pytest.param("Pass rate", K.substantive, id="pass-rate"),
        pytest.param("pass@1 and pass@10", K.substantive, id="pass-at-1-and-10"),
        pytest.param("skip-gram", K.substantive, id="skip-gram"),
        pytest.param("Skip connections", K.substantive, id="skip-connections-short"),
        pytest.param("I'll pass on this one.", K.dont_know, id="pass-on-this-one"),
        pytest.param("skip", K.dont_know, id="skip"),
        pytest.param("Skip this, sorry.", K.dont_know, id="skip-this"),
        # Nothing, or noise.
        pytest.param("", K.empty, id="empty"),
        pytest.param("   \n ", K.empty, id="whitespace"),
        pytest.param("asdkjh qwrtzx zxcvbn", K.garbled, id="keyboard-mash"),
        pytest.param("jfjfjfjfjf", K.garbled, id="repeated-keys"),
        pytest.param("!!!???", K.garbled, id="punctuation"),
    ],
)
def test_classify(text, kind):
    assert classify(text) is kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param("No, that's all. Thanks!", K.no_more_questions, id="no-more"),
        pytest.param("nope", K.no_more_questions, id="nope"),
        pytest.param("", K.no_more_questions, id="silence"),
        pytest.param("I don't know, nothing comes to mind.", K.no_more_questions, id="blank"),
        pytest.param("How do you decide what ships?", K.question, id="a-question"),
        pytest.param("Pass@k?", K.question, id="a-metric-is-a-question"),
        pytest.param("pass rate on your evals?", K.question, id="pass-rate-question"),
        pytest.param("skip-gram", K.substantive, id="a-metric-is-not-no-more"),
        pytest.param(
            "No questions about the role, but how is on-call shared?",
            K.question,
            id="no-but-a-question",
        ),
    ],
)
def test_classify_a_reply_to_any_questions(text, kind):
    assert classify_reply_to_offer(text) is kind
