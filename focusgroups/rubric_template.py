"""The default rubric a new focus group starts from, drawn from the domain (DOMAIN.md); pure data, no Django.

Each criterion has a weight and a behavioural description of each level of the 1–5 scale, so two members mean the
same thing by a 4. Leaders edit it freely until scoring opens.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateCriterion:
    name: str
    name_en: str
    weight: str  # A decimal string, so the database keeps it exactly.
    levels: tuple[str, str, str, str, str]
    levels_en: tuple[str, str, str, str, str]


DEFAULT_RUBRIC = (
    TemplateCriterion("測量技術", "Surveying technique", "2", (
        "無法說明測量原理，成果有明顯錯誤。",
        "能說明基本原理，但成果常需他人修正。",
        "能依作業規範完成一般測量，成果大致正確。",
        "能獨立完成並自行檢核成果，說明清楚。",
        "能處理特殊狀況並說明改善方法，可指導他人。",
    ), (
        "Cannot explain the surveying principles; the results have clear errors.",
        "Explains the basic principles, but the results often need correcting by others.",
        "Completes ordinary surveys to the standards; the results are mostly right.",
        "Works alone and checks their own results, explaining them clearly.",
        "Handles unusual cases, explains how to improve, and could teach others.",
    )),
    TemplateCriterion("儀器操作與經緯儀作業程序", "Instrument operation and the theodolite procedure", "2", (
        "整置步驟錯誤或遺漏，無法完成觀測。",
        "可完成整置，但定心、定平或觀測順序有誤。",
        "依程序完成整置與觀測，偶有小疏漏。",
        "程序正確流暢，能說明每一步的理由。",
        "程序嚴謹且有效率，能檢查並排除儀器誤差。",
    ), (
        "Setup steps wrong or missing; cannot complete the observation.",
        "Sets up, but centring, levelling or the order of observation goes wrong.",
        "Sets up and observes by the procedure, with small slips.",
        "A correct, fluent procedure, with the reason for each step.",
        "A rigorous, efficient procedure that checks for and removes instrument errors.",
    )),
    TemplateCriterion("地形地貌理解", "Understanding of the terrain", "1", (
        "未考慮地形對作業的影響。",
        "能描述地形，但未據以調整作業。",
        "能依地形選擇合適的測站與方法。",
        "能預見地形造成的困難並事先規劃。",
        "能在複雜地形中規劃完整、安全且精確的作業。",
    ), (
        "Does not consider how the terrain affects the work.",
        "Describes the terrain but does not adapt the work to it.",
        "Chooses suitable stations and methods for the terrain.",
        "Foresees the difficulties the terrain causes and plans for them.",
        "Plans complete, safe and precise work in difficult terrain.",
    )),
    TemplateCriterion("溝通協調", "Communication and coordination", "1.5", (
        "無法清楚說明作業內容。",
        "能說明，但不易讓民眾理解。",
        "能向民眾與同仁清楚說明界址與作業。",
        "能處理意見不同的情況並取得共識。",
        "能化解衝突，並主動協調各方。",
    ), (
        "Cannot explain the work clearly.",
        "Explains, but members of the public find it hard to follow.",
        "Explains boundaries and the work clearly to the public and colleagues.",
        "Handles disagreement and reaches agreement.",
        "Resolves conflicts and coordinates all parties on their own initiative.",
    )),
    TemplateCriterion("組織文化適應", "Fit with the office's culture", "1", (
        "與機關的工作方式明顯不合。",
        "對機關文化了解有限。",
        "了解並願意配合機關的工作方式。",
        "能融入團隊並互相支援外業。",
        "能帶動團隊合作與良好的工作氣氛。",
    ), (
        "Clearly at odds with how the office works.",
        "Knows little of the office's culture.",
        "Understands and is willing to follow how the office works.",
        "Fits into the team and backs colleagues up in the field.",
        "Builds teamwork and a good working atmosphere.",
    )),
    TemplateCriterion("機關所需專業能力", "Professional abilities the office needs", "1.5", (
        "不具備機關所列的專業能力。",
        "具備少數所需能力。",
        "具備大部分所需能力。",
        "具備全部所需能力，且有實作經驗。",
        "所需能力純熟，並有相關專長可貢獻。",
    ), (
        "Has none of the abilities the office lists.",
        "Has a few of the abilities needed.",
        "Has most of the abilities needed.",
        "Has all the abilities needed, with practical experience.",
        "Masters the abilities needed and brings related strengths.",
    )),
    TemplateCriterion("投入意願（含居住地距離）", "Commitment (including distance from residence)", "1", (
        "意願低，或通勤距離難以長期任職。",
        "意願普通，通勤有明顯困難。",
        "有意願，通勤可行。",
        "意願高，已規劃通勤或遷居。",
        "意願強烈，能長期穩定任職。",
    ), (
        "Little commitment, or a commute that rules out staying long.",
        "Average commitment; the commute is clearly hard.",
        "Committed; the commute is workable.",
        "Highly committed; has planned the commute or a move.",
        "Strongly committed and able to stay for the long term.",
    )),
)
