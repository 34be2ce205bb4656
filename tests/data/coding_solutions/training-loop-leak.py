"""Reference solution for the coding opening training-loop-leak."""

from __future__ import annotations

from collections.abc import Callable


def _fit_standardiser(rows: list[list[float]]) -> Callable[[list[list[float]]], list[list[float]]]:
    """A scaler with the mean and population standard deviation (0 read as 1) of rows."""
    n = len(rows)
    columns = list(zip(*rows, strict=True))
    means = [sum(col) / n for col in columns]
    stds = [
        (sum((v - m) ** 2 for v in col) / n) ** 0.5 or 1.0
        for col, m in zip(columns, means, strict=True)
    ]

    def scale(X: list[list[float]]) -> list[list[float]]:
        return [[(v - m) / s for v, m, s in zip(row, means, stds, strict=True)] for row in X]

    return scale


def train_with_early_stopping(
    X_train: list[list[float]],
    y_train: list[int],
    X_test: list[list[float]],
    y_test: list[int],
    init: Callable[[int], object],
    step: Callable[[object, list[list[float]], list[int]], object],
    evaluate: Callable[[object, list[list[float]], list[int]], float],
    epochs: int,
) -> tuple[object, float]:
    """Train for `epochs` epochs and return (the kept model, its test score).

    The last fifth of the training rows (at least one row; rows are in time order, so no
    shuffling) is a validation set used to choose the epoch; the model trains on the
    other rows; the epoch with the best validation score is kept, the earliest on ties.
    Features are standardised with the mean and the population standard deviation (0
    read as 1) of the rows the model trains on. The test set is scored once, for the
    kept model, and influences nothing else.
    """
    if len(X_train) != len(y_train) or len(X_test) != len(y_test):
        raise ValueError("each X must have as many rows as its y")
    if len(X_train) < 2:
        raise ValueError("need at least two training rows: one to train on, one to validate")
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")

    n_validation = max(1, len(X_train) // 5)
    cut = len(X_train) - n_validation
    X_fit, y_fit = X_train[:cut], y_train[:cut]
    X_val, y_val = X_train[cut:], y_train[cut:]

    scale = _fit_standardiser(X_fit)  # statistics of the rows the model trains on only
    Z_fit, Z_val = scale(X_fit), scale(X_val)

    model = init(len(X_fit[0]))
    best_model, best_score = None, float("-inf")
    for _ in range(epochs):
        model = step(model, Z_fit, y_fit)
        score = evaluate(model, Z_val, y_val)
        if best_model is None or score > best_score:  # strict: the earliest epoch wins ties
            best_model, best_score = model, score
    return best_model, evaluate(best_model, scale(X_test), y_test)
