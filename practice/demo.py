"""Demo question banks: the demo office and a few others publish questions and a practical task."""
from django.db import transaction

from placement import selectors as placement_selectors
from placement.demo import DEMO_OFFICE_CODE

from .models import Category, Question
from .services.bank import practical_task_create, question_create

DEMO_BANK_OFFICES = 6
QUESTIONS = [
    (Category.SURVEYING_LAW, "依地籍測量實施規則，界址點之指界應由誰辦理？",
     "土地所有權人或其代理人應到場指界；未到場者依規定辦理。",
     [("土地所有權人或其代理人", True), ("鄰地之承租人", False), ("地政事務所測量員自行認定", False)]),
    (Category.TRAVERSE_LEVELLING, "閉合導線角度閉合差的一般改正方式為何？",
     "角度閉合差在容許範圍內時，平均分配於各觀測角。",
     [("平均分配於各觀測角", True), ("全部加在最後一個角", False), ("依邊長比例分配", False)]),
    (Category.INSTRUMENT_OPERATION, "全測站整置時，下列哪些步驟屬於定心與定平？（複選）",
     "光學或雷射對點器定心，氣泡管定平；兩者需反覆檢查。",
     [("以對點器對準測站點", True), ("調整腳螺旋使氣泡居中", True), ("輸入稜鏡常數", False)]),
    (Category.GIS_CARTOGRAPHY, "臺灣地籍圖常用的 TWD97 投影為何？",
     "TWD97 採橫麥卡托二度分帶（TM2），中央經線 121 度（臺灣本島）。",
     [("橫麥卡托二度分帶（TM2）", True), ("UTM 六度分帶", False), ("蘭伯特正形圓錐投影", False)]),
]
TASK = (Category.TRAVERSE_LEVELLING, "閉合導線計算",
        "依附件觀測值計算閉合導線之角度閉合差、坐標閉合差與精度，並說明改正方法。",
        "列出閉合差計算過程、改正後坐標，以及是否符合地籍測量實施規則之精度規定。")


def demo_load() -> int:
    """Give the demo office and a few other offices with vacancies a question bank; return how many got one."""
    cycle = placement_selectors.current_cycle()
    if cycle is None:
        return 0
    offices = list(placement_selectors.result_offices(cycle=cycle))
    offices.sort(key=lambda office: office.code != DEMO_OFFICE_CODE)
    created = 0
    with transaction.atomic():
        for office in offices[:DEMO_BANK_OFFICES]:
            if Question.objects.filter(office=office).exists():
                continue
            for category, text, explanation, choices in QUESTIONS:
                question_create(office=office, category=category, text=text, explanation=explanation,
                                choices=choices, acting_user=None)
            category, title, instructions, good_answer = TASK
            practical_task_create(office=office, category=category, title=title, instructions=instructions,
                                  good_answer=good_answer, acting_user=None)
            created += 1
    return created
