#!/usr/bin/env python3
"""Checks the dashboard in headless Chromium against the server's own /api/stats.

Usage: dashboard-check.py --url http://127.0.0.1:PORT/ --screenshot OUT.png [--chromium chromium] [--token T]

1. Reads URL's `api/stats`, then loads URL in headless Chromium (6 s of virtual time, so the page polls a few
   times), dumps the DOM and reads the `data-figure` elements and `body[data-updates]` (fails when the page never
   rendered stats), then reads `api/stats` again.
2. The page's stored/produced/rejected/fetched must lie between the two API reads (the page read its figures
   between them, and the counters only grow): equal to both when the pipeline had finished. The status figure must
   be running/starting/stalled/stopped.
3. Takes a screenshot and checks that it exists and is larger than 10 KB.
Prints `dashboard: <figure> page=N api=M ok` per figure, then `dashboard: PASS screenshot OUT.png` (exit 0) or
`dashboard: FAIL <why>` (exit 1). Standard library only; the temporary Chromium profiles are removed."""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

COUNTS = ("stored", "produced", "rejected", "fetched")
OTHERS = ("lag", "latency-p99", "status")
STATES = ("running", "starting", "stalled", "stopped")
CHROMIUM_TIMEOUT = 60
MIN_SCREENSHOT_BYTES = 10 * 1024


class Failure(Exception):
    pass


class DashboardDOM(HTMLParser):
    """Collects `data-figure` → `data-value` and the body's attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values = {}
        self.body = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "body" and self.body is None:
            self.body = attributes
        name = attributes.get("data-figure")
        if name is not None:
            self.values[name] = attributes.get("data-value") or ""


def run_chromium(binary, url, extra, workdir):
    """Runs one headless Chromium with a fresh profile under workdir; returns its stdout."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=workdir)
    command = [
        binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        f"--user-data-dir={profile}", "--virtual-time-budget=6000", "--window-size=1280,1000", *extra, url,
    ]
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=workdir, start_new_session=True
        )
    except OSError as error:
        raise Failure(f"cannot run {binary}: {error}")
    try:
        stdout, stderr = process.communicate(timeout=CHROMIUM_TIMEOUT)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # the group of the Chromium started just above
        except ProcessLookupError:
            pass
        process.communicate()
        raise Failure(f"chromium did not finish within {CHROMIUM_TIMEOUT} s")
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if process.returncode != 0:
        lines = [line for line in stderr.decode(errors="replace").splitlines() if line.strip()]
        raise Failure(f"chromium exited {process.returncode}: {lines[-1] if lines else 'no message'}")
    return stdout.decode(errors="replace")


def page_figures(binary, page_url, workdir):
    dom = DashboardDOM()
    dom.feed(run_chromium(binary, page_url, ["--dump-dom"], workdir))
    dom.close()
    if dom.body is None:
        raise Failure("chromium dumped no <body> (did the page load?)")
    updates = dom.body.get("data-updates")
    try:
        count = int(updates)
    except (TypeError, ValueError):
        raise Failure(f"body has no numeric data-updates ({updates!r}): the page never rendered stats")
    if count < 1:
        raise Failure("body data-updates is 0: the page never rendered stats (is /api/stats answering it?)")
    missing = [name for name in COUNTS + OTHERS if name not in dom.values]
    if missing:
        raise Failure("no data-figure element for " + ", ".join(missing))
    return dom, count


def fetch_stats(api_url, token):
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(api_url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            stats = json.load(response)
    except urllib.error.HTTPError as error:
        raise Failure(f"GET {api_url} answered HTTP {error.code}")
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise Failure(f"GET {api_url} failed: {error}")
    totals = stats.get("totals") if isinstance(stats, dict) else None
    if not isinstance(totals, dict):
        raise Failure(f"GET {api_url} has no totals object")
    return stats


def total(stats, name):
    value = stats["totals"].get(name, 0)
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise Failure(f"api totals.{name} is not a number: {value!r}")
    return int(value)


def field(stats, section, key):
    """stats[section][key], or None when either is absent or null."""
    part = stats.get(section)
    return part.get(key) if isinstance(part, dict) else None


def number_or_none(text):
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        return "bad"
    return int(value) if value.is_integer() else value


def compare(dom, before, after):
    """Returns (lines, problems): each figure must lie between the API's value before the page loaded and after."""
    lines, problems = [], []
    for name in COUNTS:
        api = total(after, name)
        page = number_or_none(dom.values[name])
        if page is None or page == "bad":
            lines.append(f"dashboard: {name} page={dom.values[name]!r} api={api} NOT A NUMBER")
            problems.append(f"{name} on the page is not a number ({dom.values[name]!r})")
            continue
        low = total(before, name)
        if not low <= page <= api:
            # The page read its figures between the two API reads, and the counters only grow: when the pipeline
            # finished before the page loaded, both reads are equal and so must the page be.
            lines.append(f"dashboard: {name} page={page} api={low}..{api} OUT OF RANGE")
            problems.append(f"{name} page={page} is not between the API's {low} before the page and {api} after")
        else:
            lines.append(f"dashboard: {name} page={page} api={api} ok")

    for name, api in (("lag", field(after, "lag", "total")), ("latency-p99", field(after, "latency", "p99_ms"))):
        page = number_or_none(dom.values[name])
        shown = "null" if api is None else api
        if page == "bad":
            lines.append(f"dashboard: {name} page={dom.values[name]!r} api={shown} NOT A NUMBER")
            problems.append(f"{name} on the page is neither empty nor a number ({dom.values[name]!r})")
        else:
            lines.append(f"dashboard: {name} page={'null' if page is None else page} api={shown} ok")

    state = dom.values["status"]
    api_state = field(after, "status", "state")
    if state in STATES:
        lines.append(f"dashboard: status page={state} api={api_state} ok")
    else:
        lines.append(f"dashboard: status page={state!r} api={api_state} NOT A STATE")
        problems.append(f"status {state!r} is not one of {'/'.join(STATES)}")
    return lines, problems


def check(arguments, workdir):
    base, _ = urllib.parse.urldefrag(arguments.url)
    page_url = base + ("#token=" + urllib.parse.quote(arguments.token, safe="") if arguments.token else "")
    api_url = urllib.parse.urljoin(base, "api/stats")  # what the page's relative `api/stats` resolves to

    before = fetch_stats(api_url, arguments.token)
    dom, updates = page_figures(arguments.chromium, page_url, workdir)
    after = fetch_stats(api_url, arguments.token)
    lines, problems = compare(dom, before, after)
    print(f"dashboard: page rendered {updates} update(s)", flush=True)
    for line in lines:
        print(line, flush=True)
    if problems:
        raise Failure("; ".join(problems))

    screenshot = os.path.abspath(arguments.screenshot)
    os.makedirs(os.path.dirname(screenshot), exist_ok=True)
    if os.path.exists(screenshot):
        os.remove(screenshot)
    run_chromium(arguments.chromium, page_url, [f"--screenshot={screenshot}"], workdir)
    if not os.path.isfile(screenshot):
        raise Failure(f"chromium wrote no screenshot at {screenshot}")
    size = os.path.getsize(screenshot)
    if size <= MIN_SCREENSHOT_BYTES:
        raise Failure(f"screenshot {screenshot} is only {size} bytes (blank page?)")
    return screenshot


def main():
    parser = argparse.ArgumentParser(description="Checks the UserStream dashboard in headless Chromium.")
    parser.add_argument("--url", required=True, help="the dashboard's URL, e.g. http://127.0.0.1:8080/")
    parser.add_argument("--screenshot", required=True, help="where to write the PNG")
    parser.add_argument("--chromium", default="chromium", help="the Chromium binary (default: chromium)")
    parser.add_argument("--token", help="the bearer token the server requires, if any")
    arguments = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="dashboard-check-")
    try:
        screenshot = check(arguments, workdir)
    except Failure as failure:
        print(f"dashboard: FAIL {failure}", flush=True)
        return 1
    except KeyboardInterrupt:
        print("dashboard: FAIL interrupted", flush=True)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"dashboard: PASS screenshot {arguments.screenshot}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
