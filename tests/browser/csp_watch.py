"""Record every Content-Security-Policy violation a page reports, so a journey fails on a blocked script or frame."""

# Runs in every document before the page's own scripts; the browser fires the event for each blocked resource.
REPORTER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.reportCspViolation(event.violatedDirective + " blocked " + (event.blockedURI || "inline") + " on "
                            + document.location.pathname);
});
"""

# Violations of every context watched during the current test; the browser conftest empties it and checks it.
VIOLATIONS: list[str] = []


def watch_csp(context) -> None:
    """Collect this browser context's CSP violations into VIOLATIONS as they happen."""
    def report(violation: str) -> None:
        VIOLATIONS.append(violation)

    context.expose_function("reportCspViolation", report)
    context.add_init_script(REPORTER)
