"""Demo portfolios: the best-ranked candidates and the demo account describe a video and consent for the demo office."""
from datetime import timedelta

from django.db import transaction

from core import clock
from media_pipeline.services.youtube_links import video_youtube_add
from placement import selectors as placement_selectors
from placement.demo import DEMO_CANDIDATE_RANK, DEMO_OFFICE_CODE
from placement.models import LandOffice

from .models import Portfolio, Terrain
from .services import Step, portfolio_consent_set, portfolio_summary_set, video_description_save

DEMO_PORTFOLIO_RANKS = 12
# Real, long-lived public YouTube ids; without an API key the demo shows them as "not verified".
DEMO_YOUTUBE_IDS = ["dQw4w9WgXcQ", "9bZkp7q19f0", "kJQP7kiw5Fk", "3JZ_D3ELwOQ"]
TERRAINS = [Terrain.URBAN, Terrain.HILL, Terrain.FLAT, Terrain.MOUNTAIN, Terrain.COASTAL]
STEPS = [
    Step("架設腳架，以光學對點器對準測站點", 15),
    Step("調整腳螺旋定平，檢查長氣泡管", 70),
    Step("後視已知點歸零，量測儀器高與稜鏡高", 140),
    Step("正倒鏡觀測水平角與距離，記錄觀測值", 230),
]


def demo_load() -> int:
    """Describe one video for each of the best-ranked candidates who have no portfolio yet; return how many."""
    cycle = placement_selectors.current_cycle()
    demo_office = LandOffice.objects.filter(code=DEMO_OFFICE_CODE).first()
    if cycle is None or demo_office is None:
        return 0
    # Portfolios are written before the submissions deadline; the demo's timeline has that deadline in the past.
    before_deadline = (cycle.submissions_until - timedelta(days=2)) if cycle.submissions_until else clock.now()
    # The demo account (rank DEMO_CANDIDATE_RANK) is among them, so it signs in to a portfolio to look at.
    ranks = sorted({*range(1, DEMO_PORTFOLIO_RANKS + 1), DEMO_CANDIDATE_RANK})
    created = 0
    with clock.frozen_at(before_deadline), transaction.atomic():
        for candidate in cycle.candidates.filter(exam_rank__in=ranks).select_related("user").order_by("exam_rank"):
            if Portfolio.objects.filter(candidate=candidate).exists():
                continue
            index = candidate.exam_rank
            video = video_youtube_add(url=f"https://youtu.be/{DEMO_YOUTUBE_IDS[index % len(DEMO_YOUTUBE_IDS)]}",
                                      title=f"{candidate.name} 全測站整置與觀測示範", acting_user=candidate.user,
                                      candidate=candidate)
            video_description_save(
                video=video, terrain=TERRAINS[index % len(TERRAINS)], instrument_make="Leica",
                instrument_model="TS16" if index % 2 else "FlexLine TS07", weather="晴", visibility="良好",
                shows="在地籍圖根點上整置全測站並完成一測回觀測。", steps=STEPS, acting_user=candidate.user)
            portfolio_summary_set(candidate=candidate, summary="具外業導線測量與數值法地籍測量經驗。",
                                  acting_user=candidate.user)
            portfolio_consent_set(candidate=candidate, office_ids=[demo_office.pk], acting_user=candidate.user)
            created += 1
    return created
