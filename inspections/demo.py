"""The inspections part of the demo city: the sites half (evaluation system, site types, sites, categories, three
months of patrols), then the tickets half (three months of tickets with their events, photos and escalations).
inspections.tickets.demo seeds the sites half itself, first."""

import random

from inspections.tickets import demo as tickets_demo


def seed(*, rng: random.Random, stdout) -> None:
    tickets_demo.seed(rng=rng, stdout=stdout)
