"""The columns of the tables staff import and export, and the header names they may use for them."""

CANDIDATE_COLUMNS = ["exam_number", "name", "email", "exam_score", "exam_rank"]
# Optional: where a candidate lives, so the preference page can show each office's distance.
CANDIDATE_RESIDENCE_COLUMNS = ["residence_county", "residence_district"]
VACANCY_COLUMNS = ["office", "seats"]
SUITABILITY_COLUMNS = ["exam_number", "score"]
# Header names staff are likely to use, including the Chinese ones of the exam authority's spreadsheets.
COLUMN_ALIASES = {
    "准考證號碼": "exam_number", "考試號碼": "exam_number", "姓名": "name", "電子郵件": "email",
    "email_address": "email",
    "score": "exam_score", "成績": "exam_score", "rank": "exam_rank", "名次": "exam_rank",
    "office_code": "office", "office_name": "office", "機關": "office", "地政事務所": "office",
    "居住縣市": "residence_county", "縣市": "residence_county", "居住鄉鎮市區": "residence_district",
    "鄉鎮市區": "residence_district",
    "職缺": "seats", "名額": "seats", "suitability": "score", "妥適性分數": "score",
}
