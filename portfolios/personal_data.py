"""What the portfolios app holds about a candidate, for the privacy app: the summary, video descriptions, consents.

Erasing deletes all of it: the descriptions are the candidate's own words, and consents and visit times mean
nothing once the portfolio is gone. None of it is part of the published placement.
"""
from core.registry import PersonalData

from .models import Portfolio, PortfolioConsent, PortfolioVisit, VideoDescription


def candidate_export(candidate) -> PersonalData:
    """Return the candidate's portfolio summary, video descriptions with their steps, consents and visits."""
    portfolio = Portfolio.objects.filter(candidate=candidate).first()
    descriptions = (VideoDescription.objects.filter(video__candidate=candidate).prefetch_related("steps")
                    .order_by("video_id"))
    consents = PortfolioConsent.objects.filter(candidate=candidate).select_related("office").order_by("pk")
    visits = PortfolioVisit.objects.filter(candidate=candidate).select_related("office").order_by("pk")
    return PersonalData(data={
        "portfolio": portfolio and {"summary": portfolio.summary, "consent_chosen_at": portfolio.consent_chosen_at,
                                    "updated_at": portfolio.updated_at},
        "video_descriptions": [{
            "video": description.video_id, "terrain": description.terrain,
            "instrument_make": description.instrument_make, "instrument_model": description.instrument_model,
            "weather": description.weather, "visibility": description.visibility, "shows": description.shows,
            "updated_at": description.updated_at,
            "steps": [{"position": step.position, "text": step.text, "at_seconds": step.at_seconds}
                      for step in description.steps.all()],
        } for description in descriptions],
        "consents": [{"office": consent.office.name, "granted_at": consent.granted_at,
                      "withdrawn_at": consent.withdrawn_at} for consent in consents],
        "visits": [{"office": visit.office.name, "last_viewed_at": visit.last_viewed_at} for visit in visits],
    })


def candidate_erase(candidate) -> list[str]:
    """Delete the candidate's portfolio, descriptions, consents and visit times; they have no stored files."""
    VideoDescription.objects.filter(video__candidate=candidate).delete()
    PortfolioConsent.objects.filter(candidate=candidate).delete()
    PortfolioVisit.objects.filter(candidate=candidate).delete()
    Portfolio.objects.filter(candidate=candidate).delete()
    return []
