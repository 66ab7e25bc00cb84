#!/usr/bin/python3
"""Parses a Prometheus text exposition with prometheus_client's own parser and prints every
sample as JSON: [{"name", "labels", "value"}...]. Fails (exit 1) on text the parser refuses.

    parse_metrics.py METRICS.txt
"""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    samples = []
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples.append({"name": sample.name, "labels": dict(sample.labels), "value": float(sample.value)})
    json.dump(samples, sys.stdout)


if __name__ == "__main__":
    main()
