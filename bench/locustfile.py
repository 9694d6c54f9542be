"""The load scenario: candidates, focus-group members and examination staff using the site at the same time.

bench/load.py runs it against gunicorn (``locust -f bench/locustfile.py --headless ...``) with LOAD_PLAN naming the
JSON file bench/load_setup.py wrote (session keys and ids) and LOAD_SAMPLES the file this scenario writes every
request's time to when it stops, for bench/load.py to report. Seven in ten users are candidates, two in ten members,
one in ten staff. Each user signs in with a session of its own account and waits 5 to 25 seconds between pages
(bench/load.py --wait), like a person reading them.

Requests go through the load balancer's headers (X-Forwarded-Proto: https, X-Forwarded-For), so the production
settings treat them as HTTPS: secure cookies, CSRF checks with the Referer, no redirect to https.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read()) if os.environ.get("LOAD_PLAN") else {}
SAMPLES: list[list] = []
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="c(\d+)-version" value="(\d+)"')
# A one-page PDF of a few hundred bytes: the evidence check reads its first bytes.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
WAIT = (float(os.environ.get("LOAD_WAIT_MIN", "5")), float(os.environ.get("LOAD_WAIT_MAX", "25")))


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, context, **_kwargs):
    SAMPLES.append([context.get("role", "?"), name, round(response_time, 2), None if exception is None
                    else str(exception)[:200]])


@events.quitting.add_listener
def _write_samples(environment, **_kwargs):
    if os.environ.get("LOAD_SAMPLES"):
        with open(os.environ["LOAD_SAMPLES"], "w", encoding="utf-8") as out:
            json.dump(SAMPLES, out)


class SiteUser(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    role = "?"
    accounts: list = []

    def context(self):
        return {"role": self.role}

    def on_start(self):
        counter = type(self).__dict__.get("_counter") or itertools.count()
        type(self)._counter = counter
        self.account = self.accounts[next(counter) % len(self.accounts)]
        session = self.account["session"] if isinstance(self.account, dict) else self.account
        self.client.cookies.set("sessionid", session)
        self.client.headers.update({
            "X-Forwarded-Proto": "https", "User-Agent": "SurveyPlace load test",
            "X-Forwarded-For": f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}",
        })

    def _insecure_cookies(self):
        # requests sends no Secure cookie over plain HTTP, and the jar it builds for each request ignores a policy
        # set on the session's; the balancer would have spoken HTTPS here, so the cookies drop the flag instead.
        for cookie in self.client.cookies:
            cookie.secure = False

    def page(self, url, name, **kwargs):
        """GET a page, expecting 200; return its text ('' on failure)."""
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True, **kwargs) as response:
            self._insecure_cookies()
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} for {url}")
                return ""
            return response.text

    def post(self, url, name, data, *, expect=(302,), csrf_from="", **kwargs):
        """POST a form with the CSRF token of the page it came from; return the response when it was expected."""
        match = CSRF.search(csrf_from)
        headers = {"Referer": f"https://{self.host.split('://', 1)[-1]}{url}", **kwargs.pop("headers", {})}
        data = {**data, "csrfmiddlewaretoken": match.group(1) if match else ""}
        with self.client.post(url, name=name, data=data, headers=headers, allow_redirects=False, catch_response=True,
                              **kwargs) as response:
            self._insecure_cookies()
            if response.status_code not in expect:
                response.failure(f"HTTP {response.status_code} for POST {url}: {response.text[:160]!r}")
                return None
            return response


class Candidate(SiteUser):
    """A candidate browsing offices, ranking them and uploading evidence."""

    weight = 7
    role = "candidate"
    accounts = PLAN.get("candidates", [])

    def on_start(self):
        super().on_start()
        self.preferences = list(self.account["preferences"])

    @task(4)
    def discovery(self):
        params = random.choice([
            {},
            {"distance": random.choice(["30", "80", "150"]), "sort": "distance"},
            {"instrument": random.choice(["total_station", "gnss_rtk", "level"]), "with_vacancies": "on"},
            {"flat_land_min": "20", "resurvey_years": "5", "sort": "distance"},
        ])
        self.page("/offices/", "candidate: office discovery", params=params)

    @task(3)
    def office_profile(self):
        code = random.choice(PLAN["profile_codes"] or PLAN["office_codes"])
        self.page(f"/o/{code}/", "candidate: office page /o/<code>/")

    @task(3)
    def rank(self):
        text = self.page("/preferences/", "candidate: preferences")
        if not text:
            return
        if len(self.preferences) >= 2 and random.random() < 0.8:
            # Move one office up a place, as the page's buttons (or its drag and drop) do.
            office = random.choice(self.preferences[1:])
            index = self.preferences.index(office)
            self.preferences[index - 1], self.preferences[index] = office, self.preferences[index - 1]
            data = {"action": f"up:{office}"}
        else:
            unranked = [office for office in PLAN["vacancy_offices"] if office not in self.preferences]
            if not unranked:
                return
            office = random.choice(unranked)
            self.preferences.append(office)
            data = {"action": f"add:{office}"}
        self.post("/preferences/", "candidate: preference change (POST)", data, csrf_from=text)

    @task(1)
    def videos(self):
        self.page("/videos/mine/", "candidate: my videos")

    @task(1)
    def upload_evidence(self):
        text = self.page("/videos/evidence/", "candidate: evidence")
        if text:
            self.post("/videos/evidence/", "candidate: evidence upload (POST)", {"title": "導線測量計算表"},
                      csrf_from=text, files={"file": ("traverse.pdf", PDF, "application/pdf")})


class Member(SiteUser):
    """A focus-group member scoring the candidates on the group's roster; drafts save as they go."""

    weight = 2
    role = "member"
    accounts = PLAN.get("group", {}).get("sessions", [])

    def on_start(self):
        super().on_start()
        self.group_id = PLAN["group"]["group"]

    @task(1)
    def groups(self):
        self.page("/focus-groups/", "member: my focus groups")
        self.page(f"/focus-groups/{self.group_id}/", "member: focus group")

    @task(2)
    def score_list(self):
        self.page(f"/focus-groups/{self.group_id}/candidates/", "member: candidates to score")

    @task(5)
    def score(self):
        candidate = random.choice(PLAN["group"]["roster"])
        url = f"/focus-groups/{self.group_id}/candidates/{candidate}/"
        text = self.page(url, "member: scoring page")
        if not text:
            return
        versions = dict(VERSION.findall(text))
        for criterion in random.sample(PLAN["group"]["criteria"], min(2, len(PLAN["group"]["criteria"]))):
            # What static/js/scoring.js sends when a level is chosen: one criterion, its version, JSON back.
            response = self.post(url, "member: draft autosave (POST)", {
                f"c{criterion}-score": str(random.randint(1, 5)), f"c{criterion}-comment": "",
                f"c{criterion}-version": versions.get(str(criterion), "0"),
            }, expect=(200,), csrf_from=text, headers={"Accept": "application/json"})
            if response is not None:
                saved = response.json().get("saved", {}).get(str(criterion))
                if saved:
                    versions[str(criterion)] = str(saved["version"])


class Staff(SiteUser):
    """Examination staff reading the published results, the runs and the candidates."""

    weight = 1
    role = "staff"
    accounts = PLAN.get("staff", [])

    @task(3)
    def results(self):
        self.page(f"/cycles/{PLAN['past_cycle']}/results/", "staff: results")

    @task(3)
    def results_filtered(self):
        params = random.choice([{"county": random.choice(PLAN["counties"])}, {"placed": "false"}, {"q": "陳"},
                                {"placed": "true", "page": "2"}])
        self.page(f"/cycles/{PLAN['past_cycle']}/results/", "staff: results, filtered", params=params)

    @task(2)
    def runs(self):
        self.page(f"/cycles/{PLAN['past_cycle']}/runs/", "staff: runs")

    @task(2)
    def candidates(self):
        self.page(f"/cycles/{PLAN['cycle']}/candidates/", "staff: candidates")
