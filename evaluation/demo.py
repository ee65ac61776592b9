"""The demo city's evaluation: the responsibility list, material requirements and submissions in believable states
(three months before the test). The evaluation system itself is loaded by inspections.demo (its checklists need
it). Idempotent: each part does nothing when its rows exist."""

import importlib


def seed(*, rng, stdout):
    for name in (
        "evaluation.responsibilities.demo",
        "evaluation.materials.demo",
        "evaluation.questionnaires.demo",
        "evaluation.surveys.demo",
        "evaluation.readiness.demo",
    ):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.seed(rng=rng, stdout=stdout)
