"""The message catalogue: every word a user sees, Vietnamese first, English second.

Use :func:`msg` with a key; the language is ``vi`` unless :func:`set_language` or the
``NTM_LANG`` environment variable says ``en``.

One long file on purpose: the catalogue is data, one entry per key with both languages side
by side, so that a translator or a reviewer reads every word of the project in one place
(the tests check that each key has both, that no key is written twice and that every key the
code asks for exists).
"""

from __future__ import annotations

import os

LANGUAGES = ("vi", "en")

CATALOGUE: dict[str, tuple[str, str]] = {
    # units
    "kind_district": ("huyện", "district"),
    "kind_commune": ("xã", "commune"),
    "kind_province": ("tỉnh", "province"),
    "unit_not_found": (
        "Không tìm thấy {kind} “{name}”{parent}. {hint}",
        "No {kind} named “{name}”{parent}. {hint}",
    ),
    "unit_ambiguous": (
        "Tên {kind} “{name}” khớp nhiều đơn vị: {candidates}. Hãy ghi rõ hơn.",
        "The {kind} name “{name}” matches several units: {candidates}. Be more specific.",
    ),
    "crosswalk_written": (
        "Đã ghi {n} xã cũ (trước 01/07/2025) và đơn vị mới kế thừa ({new} đơn vị mới) vào "
        "{path}",
        "Wrote {n} old communes (before 01/07/2025) with their successors ({new} new units) "
        "to {path}",
    ),
    "did_you_mean": ("Có phải là: {names}?", "Did you mean: {names}?"),
    "no_suggestion": (
        "Hãy kiểm tra chính tả theo danh mục đơn vị hành chính.",
        "Check the spelling against the official list of units.",
    ),
    # inventory
    "inventory_title": ("Dữ liệu gốc trong {path}", "Raw data in {path}"),
    "inventory_header": ("tệp|số dòng|nguồn", "file|rows|source"),
    "inventory_unlisted": (
        "CHƯA KHAI BÁO trong sources.yml", "NOT LISTED in sources.yml"),
    "inventory_missing": (
        "{n} tệp khai báo trong sources.yml nhưng không có: {files}",
        "{n} file(s) listed in sources.yml but missing: {files}",
    ),
    "inventory_criteria": (
        "Bộ tiêu chí: {sets}", "Criteria sets: {sets}"),
    "inventory_units_2025": (
        "Đơn vị hành chính (từ 01/07/2025) của tỉnh {province}: {counts}",
        "Administrative units (from 01/07/2025) of {province} province: {counts}"),
    "inventory_units": (
        "Đơn vị hành chính (trước 01/07/2025) của tỉnh {province}: {districts} đơn vị cấp huyện, "
        "{communes} đơn vị cấp xã ({rural} xã)",
        "Administrative units (before 01/07/2025) of {province}: {districts} district-level, "
        "{communes} commune-level units ({rural} rural communes)",
    ),
    # errors
    "raw_dir_missing": (
        "Không có thư mục dữ liệu gốc {path}. Hãy chỉ đúng thư mục bằng --raw.",
        "The raw data folder {path} does not exist. Point --raw at the right folder.",
    ),
    "raw_dir_empty": (
        "Thư mục {path} không có tệp CSV hay XLSX đọc được.",
        "The folder {path} holds no readable CSV or XLSX file.",
    ),
    # reasons a raw row or file is rejected: what is wrong, and what to do
    "reason_file_binary": (
        "Tệp không phải văn bản CSV (dữ liệu nhị phân). Hãy xuất lại từ Excel dạng CSV UTF-8.",
        "Not a CSV text file (binary data). Export it again from Excel as CSV UTF-8.",
    ),
    "reason_file_encoding": (
        "Tệp không ở mã UTF-8 hay UTF-16 (có thể là Windows-1258/TCVN3). Hãy lưu lại dạng "
        "“CSV UTF-8”.",
        "The file is neither UTF-8 nor UTF-16 (maybe Windows-1258/TCVN3). Save it again as "
        "“CSV UTF-8”.",
    ),
    "reason_file_not_xlsx": (
        "Không mở được tệp Excel (tệp hỏng hoặc không phải .xlsx). Hãy mở bằng Excel và lưu lại.",
        "Cannot open the Excel file (damaged or not .xlsx). Open it in Excel and save it again.",
    ),
    "reason_sheet_empty": ("Trang tính trống.", "The sheet is empty."),
    "reason_file_too_large": (
        "Tệp Excel khi giải nén quá lớn nên không đọc (xem cột giá trị). Nếu đúng là tệp thật, "
        "đặt biến môi trường NTM_XLSX_MAX_MB (MB) lớn hơn.",
        "The workbook is too large once unpacked, so it was not read (see the value column). "
        "If it is a real file, raise the environment variable NTM_XLSX_MAX_MB (MB).",
    ),
    "reason_file_compression": (
        "Tệp Excel nén bất thường (tỷ lệ giải nén quá cao, xem cột giá trị) nên không đọc. Nếu "
        "đúng là tệp thật, đặt biến môi trường NTM_XLSX_MAX_RATIO lớn hơn.",
        "The workbook is compressed abnormally (unpacking ratio too high, see the value "
        "column), so it was not read. If it is a real file, raise NTM_XLSX_MAX_RATIO.",
    ),
    "reason_file_too_many_rows": (
        "Trang tính khai báo nhiều dòng hơn giới hạn (xem cột giá trị) nên không đọc. Nếu đúng là "
        "tệp thật, đặt biến môi trường NTM_XLSX_MAX_ROWS lớn hơn.",
        "A sheet declares more rows than the limit (see the value column), so the file was not "
        "read. If it is a real file, raise the environment variable NTM_XLSX_MAX_ROWS.",
    ),
    "reason_file_error": (
        "Lỗi khi đọc tệp (xem cột giá trị); các tệp khác vẫn được làm sạch.",
        "Error while reading the file (see the value column); the other files were cleaned.",
    ),
    "reason_sheet_mojibake": (
        "Văn bản có vẻ là UTF-8 bị đọc sai bảng mã (xem cột giá trị: chữ hỏng → chữ đúng) và "
        "sau khi sửa vẫn không thấy dòng tiêu đề; hãy mở lại CSV với bảng mã UTF-8.",
        "The text looks like UTF-8 read with the wrong encoding (see the value column: "
        "damaged → repaired) and no header row was found even after the repair; re-import "
        "the CSV as UTF-8.",
    ),
    "reason_sheet_vni": (
        "Văn bản có vẻ được gõ bằng bảng mã VNI (phông VNI-Times), xem cột giá trị; hãy chuyển "
        "sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi lưu lại.",
        "The text looks typed in the VNI font encoding (VNI-Times), see the value column; "
        "convert it to Unicode (e.g. with Unikey's converter) and save again.",
    ),
    "repair_tcvn3": (
        "văn bản gõ bằng bảng mã TCVN3 (phông .VnTime) đã được chuyển sang Unicode, ví dụ "
        "{example}",
        "text typed in the TCVN3 font encoding (.VnTime) was converted to Unicode, e.g. "
        "{example}"),
    "repair_mojibake": (
        "văn bản UTF-8 bị đọc sai bảng mã đã được sửa, ví dụ {example}",
        "UTF-8 text read with the wrong encoding was repaired, e.g. {example}"),
    "reason_sheet_no_header": (
        "Không tìm thấy dòng tiêu đề (cần các cột như Thời điểm, Huyện, Xã, Cấp độ, Số tiêu chí "
        "đạt).",
        "No header row found (expected columns such as Thời điểm/as_of, Huyện/district, "
        "Xã/commune, Cấp độ/level, Số tiêu chí đạt/tally).",
    ),
    "reason_empty_tally": ("Thiếu số tiêu chí đạt.", "The tally is empty."),
    "reason_not_a_tally": (
        "Không đọc được số tiêu chí đạt; hãy ghi dạng 14/19.",
        "Not a tally; write it as 14/19.",
    ),
    "reason_date_in_tally": (
        "Ô là ngày {shown} (chương trình bảng tính đã đổi số tiêu chí thành ngày); không có "
        "đúng một cách đọc hợp lệ trong {readings}. Hãy ghi lại dạng văn bản, ví dụ '12/19.",
        "The cell is the date {shown} (a spreadsheet program turned the tally into a date); "
        "not exactly one of the readings {readings} is a valid tally. Type it again as text, "
        "e.g. '12/19.",
    ),
    "repair_date_tally": (
        "ngày {shown} đọc là {tally}", "date {shown} read as {tally}"),
    "reason_fractional": (
        "Số tiêu chí phải là số nguyên.", "Criteria counts must be whole numbers."),
    "reason_negative": ("Số tiêu chí không được âm.", "Criteria counts cannot be negative."),
    "reason_met_above_total": (
        "Số tiêu chí đạt lớn hơn tổng số tiêu chí.", "More criteria met than the total."),
    "reason_missing_total": (
        "Thiếu tổng số tiêu chí; hãy ghi dạng 14/19 hoặc thêm cột Tổng số tiêu chí.",
        "No total; write 14/19 or add a total column.",
    ),
    "reason_total_conflict": (
        "Tổng số tiêu chí trong cột Kết quả và cột Tổng số khác nhau.",
        "The total in the tally and the total column differ.",
    ),
    "reason_total_mismatch": (
        "Tổng số tiêu chí không khớp bộ tiêu chí của cấp độ này ({expected}).",
        "The total does not match this level's criteria set ({expected}).",
    ),
    "reason_no_scale_for_level": (
        "Xã NTM kiểu mẫu không có thang x/19 riêng; hãy báo cáo theo cấp nâng cao.",
        "Model communes have no x/19 scale of their own; report the nâng cao tally instead.",
    ),
    "reason_no_set_for_date": (
        "Không có bộ tiêu chí của cấp độ này vào thời điểm đó.",
        "No criteria set of this level was in force on that date.",
    ),
    "reason_empty_date": ("Thiếu thời điểm.", "The date is empty."),
    "reason_bad_date": (
        "Không đọc được thời điểm; hãy ghi 31/05/2022, 05/2022, quý II/2022 hoặc 2022.",
        "Unreadable date; write 31/05/2022, 05/2022, quý II/2022 or 2022.",
    ),
    "reason_impossible_date": ("Ngày không tồn tại.", "This date does not exist."),
    "reason_future_date": ("Thời điểm ở tương lai.", "The date is in the future."),
    "reason_missing_level": (
        "Thiếu cấp độ (xã NTM, NTM nâng cao, huyện NTM...).",
        "The level is missing (xã NTM, NTM nâng cao, huyện NTM...).",
    ),
    "reason_ambiguous_level": (
        "Thiếu cấp độ và không suy ra được (xã NTM hay NTM nâng cao đều có 19 tiêu chí).",
        "The level is missing and cannot be inferred (xã NTM and nâng cao both have 19).",
    ),
    "reason_unknown_level": (
        "Không nhận ra cấp độ; dùng: xã NTM, NTM nâng cao, kiểu mẫu, huyện NTM.",
        "Unknown level; use: xã NTM, NTM nâng cao, kiểu mẫu, huyện NTM.",
    ),
    "reason_level_unit_mismatch": (
        "Cấp độ không hợp với đơn vị (cấp xã cho dòng huyện hoặc ngược lại).",
        "The level does not fit the unit (a commune level on a district row or the reverse).",
    ),
    "reason_blank_district": ("Thiếu tên huyện.", "The district is blank."),
    "reason_unknown_province": ("Không tìm thấy tỉnh.", "Unknown province."),
    "reason_unknown_district": ("Không tìm thấy huyện trong tỉnh.", "Unknown district."),
    "reason_unknown_commune": (
        "Không tìm thấy xã trong huyện đã ghi.", "No such commune in the named district."),
    # 2026–2030 indicators (clean/indicators.py)
    "reason_bad_indicator_code": (
        "Mã chỉ tiêu phải có dạng <tiêu chí>.<số>, tiêu chí từ 1 đến 10 (ví dụ 6.1).",
        "An indicator code reads <criterion>.<number>, criterion 1 to 10 (e.g. 6.1)."),
    "reason_indicator_criterion_mismatch": (
        "Cột tiêu chí khác với số tiêu chí trong mã chỉ tiêu.",
        "The criterion column differs from the criterion in the indicator code."),
    "reason_unknown_indicator_unit": (
        "Không rõ đơn vị tính; dùng %, triệu đồng/người/năm, số hoặc có/không.",
        "Unknown unit; use %, triệu đồng/người/năm (million VND per person per year), a count "
        "or có/không (yes/no)."),
    "reason_unknown_indicator_direction": (
        "Không rõ chiều đánh giá; ghi \"tối thiểu\" (càng cao càng tốt) hoặc \"tối đa\" "
        "(càng thấp càng tốt).",
        "Unknown direction; write \"tối thiểu\" (at least, higher is better) or \"tối đa\" "
        "(at most, lower is better)."),
    "reason_thresholds_draft": (
        "Ngưỡng lấy từ dự thảo: dự thảo 07/2025 đánh số nhóm xã ngược với QĐ 51/2025/QĐ-TTg "
        "(nhóm 1 là xã liền kề đô thị); hãy nhập theo văn bản đã ban hành.",
        "Thresholds from the draft: the July 2025 draft numbered the commune groups the other "
        "way round from QĐ 51/2025/QĐ-TTg (group 1 is near urban areas); enter them from the "
        "decision as issued."),
    "reason_bad_threshold": (
        "Ngưỡng không đúng kiểu của đơn vị tính.",
        "The threshold is not of its unit's type."),
    "reason_thresholds_group_order": (
        "Ngưỡng các nhóm ngược thứ tự của QĐ 51/2025/QĐ-TTg: nhóm 1 (xã liền kề đô thị) có "
        "mức cao nhất, nhóm 3 (vùng dân tộc thiểu số và miền núi) thấp nhất; có thể đã nhập "
        "theo cách đánh số của dự thảo.",
        "The groups' thresholds run against QĐ 51/2025/QĐ-TTg: group 1 (near urban areas) has "
        "the strictest, group 3 (ethnic-minority and mountain areas) the most lenient; they "
        "may follow the draft's numbering."),
    "reason_indicator_before_period": (
        "Chỉ tiêu 2026–2030 chỉ áp dụng cho xã mới từ 15/02/2026.",
        "The 2026–2030 indicators apply to the new communes from 15/02/2026."),
    "reason_threshold_twice": (
        "Chỉ tiêu và nhóm này đã có ngưỡng ở {first}.",
        "This indicator and group already have a threshold at {first}."),
    "reason_indicator_unknown": (
        "Chỉ tiêu chưa có trong sheet ngưỡng chỉ tiêu của tỉnh.",
        "The indicator is not in the province's thresholds sheet."),
    "reason_threshold_missing": (
        "Chưa có ngưỡng của chỉ tiêu này cho xã nhóm {group}: bổ sung vào sheet ngưỡng.",
        "No threshold of this indicator for commune group {group}: add it to the thresholds "
        "sheet."),
    "reason_bad_indicator_value": (
        "Giá trị không đúng kiểu của đơn vị tính ({unit}).",
        "The value is not of its unit's type ({unit})."),
    "reason_status_contradicts_indicators": (
        "Đánh giá ghi {typed} nhưng các chỉ tiêu cùng ngày cho {derived} (chưa đạt: {unmet}).",
        "The status says {typed} but its indicators on the same day give {derived} (unmet: "
        "{unmet})."),
    "reason_bad_commune_group": (
        "Nhóm xã phải là 1, 2 hoặc 3 (QĐ 51/2025/QĐ-TTg).",
        "The commune group must be 1, 2 or 3 (QĐ 51/2025/QĐ-TTg)."),
    "reason_commune_merged": (
        "Tên xã này không còn từ 01/07/2025 (đã sáp nhập); số liệu từ ngày đó ghi theo xã mới.",
        "This commune no longer exists from 01/07/2025 (merged); data from that day name the "
        "new commune."),
    "reason_commune_type_changed": (
        "Loại đơn vị ghi trong tên (xã, phường, thị trấn, đặc khu) không phải loại của đơn vị "
        "cùng tên từ 01/07/2025 (thị trấn không còn từ ngày đó): tên cũ này thuộc đơn vị đã "
        "sáp nhập; ghi theo đơn vị mới được gợi ý.",
        "The unit type written in the name (xã, phường, thị trấn, đặc khu) is not the type of "
        "the unit of that name from 01/07/2025 (thị trấn were abolished that day): this old "
        "name belongs to a merged unit; use the suggested new unit."),
    "reason_commune_not_yet": (
        "Tên xã này chỉ có từ 01/07/2025; số liệu trước ngày đó ghi theo các xã cũ.",
        "This commune exists only from 01/07/2025; earlier data name the former communes."),
    "reason_province_merged": (
        "Tỉnh này đã hợp nhất từ 01/07/2025; số liệu từ ngày đó ghi theo tỉnh mới.",
        "This province was merged on 01/07/2025; data from that day name the new province."),
    "reason_district_abolished": (
        "Từ 01/07/2025 không còn cấp huyện: số liệu ghi theo xã hoặc tỉnh.",
        "Districts were abolished on 01/07/2025: data name a commune or the province."),
    "reason_ambiguous_unit": ("Tên đơn vị khớp nhiều đơn vị.", "The name matches several units."),
    "reason_conflict": (
        "Cùng đơn vị, cấp độ và thời điểm nhưng số liệu khác với {n} dòng khác: {others}. Hãy "
        "xác minh và giữ một.",
        "Same unit, level and date with a different value from {n} other row(s): {others}. "
        "Check and keep one.",
    ),
    "reason_missing_metric": ("Thiếu tên chỉ tiêu (metric).", "The metric is missing."),
    "reason_empty_value": ("Thiếu giá trị.", "The value is empty."),
    "reason_bad_value": (
        "Không đọc được giá trị (ví dụ hợp lệ: 90/116, ≥30, 7-9, 100%, QĐ 349/QĐ-TTg).",
        "Unreadable value (valid examples: 90/116, ≥30, 7-9, 100%, QĐ 349/QĐ-TTg).",
    ),
    "reason_bad_standard_year": (
        "Năm đạt chuẩn phải là một năm (ví dụ 2023).",
        "The year of the standard must be a year (e.g. 2023)."),
    "reason_standard_year_after_decision": (
        "Năm đạt chuẩn sau năm của quyết định công nhận (ngày của dòng).",
        "The year of the standard is after the year of the recognition's decision (the "
        "row's date)."),
    "reason_bad_scope": (
        "Phạm vi (level) phải là national, province, district hoặc commune.",
        "The scope (level) must be national, province, district or commune.",
    ),
    "reason_blank_commune": ("Thiếu tên xã.", "The commune is blank."),
    "reason_unknown_criterion": (
        "Không nhận ra tiêu chí (ghi số 1-19, TC2, Tiêu chí 2 hoặc tên như Giao thông).",
        "Unknown criterion (write 1-19, TC2, Tiêu chí 2 or a name such as Giao thông).",
    ),
    "reason_bad_status": (
        "Không đọc được đánh giá; dùng Đạt/Chưa đạt, x, 1/0.",
        "Unreadable status; use Đạt/Chưa đạt, x, 1/0.",
    ),
    # levels and ratings
    "level_xa_ntm": ("xã NTM", "NTM commune"),
    "level_xa_ntm_nang_cao": ("xã NTM nâng cao", "advanced NTM commune"),
    "level_xa_ntm_kieu_mau": ("xã NTM kiểu mẫu", "model NTM commune"),
    "level_huyen_ntm": ("huyện NTM", "NTM district"),
    "rating_achieved": ("Đã đạt", "Achieved"),
    "rating_achieved_on_time": ("Đạt đúng hạn", "Achieved on time"),
    "rating_achieved_late": ("Đạt trễ hạn", "Achieved late"),
    "rating_on_track": ("Đúng tiến độ", "On track"),
    "rating_moderately_improving": ("Cải thiện vừa", "Moderately improving"),
    "rating_stagnating": ("Chững lại", "Stagnating"),
    "rating_decreasing": ("Đi xuống", "Decreasing"),
    "rating_missed": ("Trễ hạn", "Missed"),
    "rating_not_enough_data": ("Chưa đủ dữ liệu", "Not enough data"),
    "rating_no_target": ("Chưa có mục tiêu", "No target"),
    # the headline sentence of a page: one per rating kind
    "standard_huyen_ntm": ("huyện nông thôn mới", "NTM district"),
    "standard_xa_ntm": ("xã nông thôn mới", "NTM commune"),
    "standard_xa_ntm_2026_2030": ("xã nông thôn mới (Bộ tiêu chí 2026–2030)",
                                  "NTM commune (2026–2030 set)"),
    "standard_xa_ntm_nang_cao": ("xã nông thôn mới nâng cao", "advanced NTM commune"),
    "standard_xa_ntm_kieu_mau": ("xã nông thôn mới kiểu mẫu", "model NTM commune"),
    "sentence_achieved_late": (
        "{unit} đạt chuẩn {standard} {reached}, trễ {months} tháng so với kế hoạch "
        "({deadline}).",
        "{unit} reached the {standard} standard {reached}, {months} months later than "
        "planned ({deadline})."),
    "sentence_achieved_on_time": (
        "{unit} đạt chuẩn {standard} {reached}, đúng kế hoạch ({deadline}).",
        "{unit} reached the {standard} standard {reached}, as planned ({deadline})."),
    "sentence_achieved": (
        "{unit} đạt chuẩn {standard} {reached}.",
        "{unit} reached the {standard} standard {reached}."),
    # the same, when the data holds both the day every criterion was met (a report) and
    # the later recognition ("đạt chuẩn" in a plan means recognised)
    "sentence_both_achieved_late": (
        "{unit} đạt đủ {met}/{total} tiêu chí {criteria_day}; được công nhận đạt chuẩn "
        "{standard} {reached}, trễ {months} tháng so với kế hoạch ({deadline}).",
        "{unit} met all {met}/{total} criteria {criteria_day}; it was recognised as "
        "{standard} {reached}, {months} months later than planned ({deadline})."),
    "sentence_both_achieved_on_time": (
        "{unit} đạt đủ {met}/{total} tiêu chí {criteria_day}; được công nhận đạt chuẩn "
        "{standard} {reached}, đúng kế hoạch ({deadline}).",
        "{unit} met all {met}/{total} criteria {criteria_day}; it was recognised as "
        "{standard} {reached}, as planned ({deadline})."),
    "sentence_both_achieved": (
        "{unit} đạt đủ {met}/{total} tiêu chí {criteria_day}; được công nhận đạt chuẩn "
        "{standard} {reached}.",
        "{unit} met all {met}/{total} criteria {criteria_day}; it was recognised as "
        "{standard} {reached}."),
    # when a unit reached its standard (Page.reached_phrase)
    "reached_day": ("ngày {date}", "on {date}"),
    "reached_year": ("năm {year}", "in {year}"),
    "reached_month": ("tháng {month}", "in {month}"),
    "reached_decided": ("{when} ({decision}, ngày {date})", "{when} ({decision} of {date})"),
    "reached_decided_same_day": ("{when} ({decision})", "{when} ({decision})"),
    "sentence_missed": (
        "{unit} đạt {met}/{total} tiêu chí {standard} ngày {as_of}; hạn {deadline} đã qua, "
        "còn thiếu {gap} tiêu chí.",
        "{unit} met {met}/{total} {standard} criteria on {as_of}; the deadline {deadline} has "
        "passed with {gap} left."),
    "sentence_progress": (
        "{unit} đạt {met}/{total} tiêu chí {standard} ngày {as_of}; cần thêm {gap} tiêu chí "
        "trước {deadline} ({required} tiêu chí/năm).",
        "{unit} met {met}/{total} {standard} criteria on {as_of}; {gap} more needed by "
        "{deadline} ({required} criteria a year)."),
    "sentence_no_target": (
        "{unit} đạt {met}/{total} tiêu chí {standard} ngày {as_of}; chưa có kế hoạch trong "
        "dữ liệu.",
        "{unit} met {met}/{total} {standard} criteria on {as_of}; no plan in the data."),
    "sentence_province": (
        "Tỉnh {province}: {share}% số xã đạt chuẩn nông thôn mới ({as_of}); {done} trên "
        "{planned} huyện có kế hoạch đã đạt chuẩn huyện nông thôn mới, {late} trong số đó "
        "trễ hạn.",
        "{province} province: {share}% of communes at the NTM standard ({as_of}); {done} of "
        "the {planned} districts with a plan reached the NTM district standard, {late} of "
        "them late."),
    "sentence_province_2025": (
        "Tỉnh {province}: {ntm} xã đạt chuẩn nông thôn mới ({as_of}); {tallied} trên {units} "
        "đơn vị có kết quả theo Bộ tiêu chí 2026–2030.",
        "{province} province: {ntm} communes at the NTM standard ({as_of}); {tallied} of its "
        "{units} units have a result on the 2026–2030 set."),
    "sentence_no_data": (
        "Chưa có số liệu tiêu chí {standard} của {unit} trong dữ liệu.",
        "No {standard} criteria tallies for {unit} in the data."),
    # reports
    "report_title_district": (
        "Tiến độ xây dựng nông thôn mới: {district}", "New Rural Development progress: {district}"),
    "report_title_province": (
        "Tổng quan xây dựng nông thôn mới: tỉnh {province}",
        "New Rural Development overview: {province} province"),
    "report_title_commune": (
        "Tiến độ xây dựng nông thôn mới: {commune} ({province})",
        "New Rural Development progress: {commune} ({province})"),
    "report_title_province_2025": (
        "Tổng quan xây dựng nông thôn mới: tỉnh {province} (từ 01/07/2025)",
        "New Rural Development overview: {province} province (from 01/07/2025)"),
    "section_province_figures": ("Số liệu toàn tỉnh", "Province figures"),
    "section_communes": ("Các xã, phường, đặc khu", "Communes, wards and special zones"),
    "no_province_figures": (
        "Chưa có số liệu toàn tỉnh từ 01/07/2025 trong dữ liệu.",
        "No province figures from 01/07/2025 in the data."),
    "unit_counts": ("Tỉnh {province} có {counts}.", "{province} province has {counts}."),
    "col_predecessors_ntm": (
        "Đơn vị trước sáp nhập đã đạt chuẩn NTM (đến {date})",
        "Predecessors at NTM (by {date})"),
    "report_as_of": ("Số liệu đến {date}", "Data as of {date}"),
    "section_new_set": ("Bộ tiêu chí 2026–2030", "The 2026–2030 criteria set"),
    "section_indicators": ("Chỉ tiêu 2026–2030: tiêu chí theo chỉ tiêu và các chỉ tiêu chưa đạt",
                           "2026–2030 indicators: criteria by indicator and the indicators "
                           "not met"),
    "no_indicator_values": ("{commune} chưa có số liệu chỉ tiêu 2026–2030.",
                            "{commune} has no 2026–2030 indicator values yet."),
    "no_unmet_indicators": ("Mọi chỉ tiêu {commune} đã báo cáo đều đạt.",
                            "Every indicator {commune} reported is met."),
    "status_unmet_indicators": ("Chưa đạt (chỉ tiêu {codes})", "Not met (indicators {codes})"),
    "status_incomplete": ("Chưa đủ số liệu ({given}/{total} chỉ tiêu)",
                          "Incomplete ({given}/{total} indicators)"),
    "section_province_indicators": ("Chỉ tiêu 2026–2030 níu chân nhiều xã nhất",
                                    "The 2026–2030 indicators holding most communes back"),
    "no_province_indicators": ("Các xã của tỉnh {province} chưa có số liệu chỉ tiêu 2026–2030.",
                               "The communes of {province} have no 2026–2030 indicator values "
                               "yet."),
    "col_communes_reported": ("Số xã có số liệu", "Communes reporting"),
    "col_communes_not_met": ("Số xã chưa đạt", "Communes not meeting it"),
    "col_median_gap": ("Khoảng cách trung vị", "Median gap"),
    "chart_threshold": ("Ngưỡng {text}", "Threshold {text}"),
    "chart_value": ("Giá trị {text}", "Value {text}"),
    "alt_indicators": ("Biểu đồ: {n} chỉ tiêu chưa đạt của {commune}, giá trị so với ngưỡng: "
                       "{parts}.",
                       "Chart: {n} indicators {commune} does not meet, value against "
                       "threshold: {parts}."),
    "alt_indicator_part": ("{indicator} {value} (ngưỡng {threshold})",
                           "{indicator} {value} (threshold {threshold})"),
    "col_indicators_given": ("Chỉ tiêu có số liệu", "Indicators with a value"),
    "col_indicator": ("Mã chỉ tiêu", "Indicator"),
    "col_indicator_name": ("Tên chỉ tiêu", "Name"),
    "col_group": ("Nhóm xã", "Group"),
    "col_threshold": ("Ngưỡng", "Threshold"),
    "col_indicator_gap": ("Còn thiếu", "Gap"),
    "col_on_pace": ("Kịp 2030?", "On pace for 2030?"),
    "on_pace_yes": ("Kịp", "Yes"),
    "on_pace_no": ("Không kịp", "No"),
    "on_pace_unknown": ("Chưa đủ 2 kỳ số liệu", "Fewer than 2 dated values"),
    "gap_yes_no": ("Chưa có", "Not yet"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "unit_percent": ("{value}%", "{value}%"),
    "unit_million_vnd_per_person_year": ("{value} triệu đồng/người/năm",
                                         "{value} million VND per person per year"),
    "unit_count": ("{value}", "{value}"),
    "indicator_source": ("Ngưỡng: {document}; giá trị: {file}, dòng {row}",
                         "Threshold: {document}; value: {file}, row {row}"),
    "section_predecessors": (
        "Các đơn vị trước 01/07/2025 (đã sáp nhập vào xã này)",
        "The units before 01/07/2025 (merged into this commune)"),
    "section_predecessor_history": (
        "Lịch sử của từng đơn vị trước sáp nhập", "History of each unit before the merger"),
    "headline_new_set": (
        "Kết quả theo Bộ tiêu chí 2026–2030 (10 tiêu chí)",
        "Result on the 2026–2030 set (10 criteria)"),
    "headline_predecessors_ntm": (
        "Đơn vị trước sáp nhập đã đạt chuẩn NTM", "Predecessors that had reached NTM"),
    "count_of": ("{n} trên {total}", "{n} of {total}"),
    "count_of_xa": ("{n} trên {total} xã", "{n} of {total} xã"),
    "not_assessed": ("không thuộc diện đánh giá xã NTM", "not assessed as a xã"),
    "implied_by_district": ("suy từ số liệu của huyện {district}",
                            "implied by the figures of district {district}"),
    "implied_by_district_decision": (
        "suy từ {decision} công nhận huyện {district}",
        "implied by {decision} recognising district {district}"),
    "no_new_set_tally": (
        "chưa có kết quả theo bộ tiêu chí 2026–2030", "no 2026–2030 tally yet"),
    "no_new_tallies": (
        "Chưa có số liệu tiêu chí nào của {commune} từ 01/07/2025; bảng sẽ có khi xã gửi số "
        "liệu.",
        "No criteria tallies for {commune} from 01/07/2025 yet; the table appears once the "
        "commune reports."),
    "no_predecessor_tallies": (
        "Chưa có số liệu tiêu chí nào của các đơn vị trước sáp nhập.",
        "No criteria tallies of the units before the merger in the data."),
    "col_code": ("Mã (trước 01/07/2025)", "Code (before 01/07/2025)"),
    "col_number": ("Số", "No."),
    "verified_yes": ("đã kiểm chứng", "verified"),
    "verified_no": ("chưa kiểm chứng", "not verified"),
    "verified_two_sources": ("tên và số thứ tự đã kiểm chứng (hai nguồn liệt kê cùng thứ tự)",
                             "names and numbers verified (two sources list them in this order)"),
    "verified_names": ("tên đã kiểm chứng; số thứ tự suy từ thứ tự liệt kê",
                       "names verified; numbers inferred from their order"),
    "verified_order": ("tên và thứ tự đã kiểm chứng; nhóm suy ra",
                       "names and order verified; group inferred"),
    "verified_other": ("{text}", "{text}"),
    "col_note": ("Ghi chú", "Note"),
    "verification_note": ("Mức kiểm chứng của danh mục tiêu chí: {text}",
                          "How far the criteria catalogue is verified: {text}"),
    "col_status": ("Đánh giá gần nhất", "Latest status"),
    "status_met": ("Đạt", "Met"),
    "status_unmet": ("Chưa đạt", "Not met"),
    "col_legal_basis": ("Căn cứ", "Legal basis"),
    "section_successors": (
        "Các xã từ 01/07/2025 (sau sáp nhập)", "The communes from 01/07/2025 (after the merger)"),
    "col_successor": ("Đơn vị từ 01/07/2025", "Unit from 01/07/2025"),
    "col_successor_code": ("Mã (từ 01/07/2025)", "Code (from 01/07/2025)"),
    "col_standing": ("Hiện trạng đến {date}", "Standing at {date}"),
    "col_reached_ntm": ("Đạt chuẩn NTM từ", "Reached NTM on"),
    "col_origin": ("Loại số liệu", "Kind"),
    "origin_reported": ("báo cáo", "reported"),
    "origin_implied_by_recognition": ("công nhận", "recognition"),
    "origin_implied_by_district": ("suy từ huyện", "implied by the district"),
    "section_headline": ("Chỉ số chính", "Headline figures"),
    "section_gaps": ("Khoảng cách tới chuẩn", "Gap to the standard"),
    "section_trends": ("Xu hướng", "Trends"),
    "section_unmet": ("Tiêu chí thường chưa đạt", "Criteria most often unmet"),
    "section_quality": ("Ghi chú chất lượng dữ liệu", "Data-quality notes"),
    "section_districts": ("Các huyện", "Districts"),
    "section_province_series": ("Chỉ tiêu toàn tỉnh", "Province series"),
    "section_map": ("Bản đồ các xã", "Map of communes"),
    "section_timeline": ("Mốc công nhận", "Recognition timeline"),
    "headline_item": ("Chỉ số", "Indicator"),
    "headline_value": ("Hiện trạng", "Status"),
    "headline_plan": ("Kế hoạch", "Plan"),
    "headline_as_of": ("Thời điểm", "Date"),
    "headline_district_criteria": ("Tiêu chí huyện NTM", "District NTM criteria"),
    "headline_communes_ntm": ("Xã đạt chuẩn NTM", "Communes at NTM"),
    "headline_communes_nang_cao": ("Xã NTM nâng cao", "Advanced NTM communes"),
    "headline_communes_kieu_mau": ("Xã NTM kiểu mẫu", "Model NTM communes"),
    "plan_deadline": ("đạt chuẩn trước {date}", "standard by {date}"),
    "unknown": ("chưa có số liệu", "no data"),
    "col_unit": ("Đơn vị", "Unit"),
    "col_level": ("Cấp độ", "Level"),
    "col_met": ("Đạt", "Met"),
    "col_gap": ("Còn thiếu", "Gap"),
    "col_deadline": ("Hạn", "Deadline"),
    "col_required": ("Tốc độ cần (tiêu chí/năm)", "Required pace (criteria/yr)"),
    "col_observed": ("Tốc độ thực tế (tiêu chí/năm)", "Observed pace (criteria/yr)"),
    "col_rating": ("Đánh giá", "Rating"),
    "col_projection": ("Dự kiến đạt", "Projected"),
    "col_criteria_met_on": ("Ngày đạt đủ tiêu chí", "All criteria met on"),
    "criteria_met_on": ("đủ tiêu chí {date}", "all criteria met {date}"),
    "col_reached": ("Ngày đạt chuẩn", "Reached on"),
    "section_plan": ("Kế hoạch và thực tế", "Plan against actual"),
    "col_planned": ("Kế hoạch (hạn)", "Planned by"),
    "col_actual": ("Thực tế", "Actual"),
    "col_delay": ("Trễ (tháng)", "Delay (months)"),
    "col_plan_source": ("Nguồn kế hoạch", "Plan source"),
    "not_yet": ("chưa đạt (còn thiếu {gap}; dự kiến {projection})",
                "not yet ({gap} left; projected {projection})"),
    "no_plans": ("Không có kế hoạch nào có hạn trong dữ liệu.", "No plan with a deadline in "
                 "the data."),
    "col_as_of": ("Thời điểm", "Date"),
    "col_source": ("Nguồn", "Source"),
    "col_file": ("Tệp", "File"),
    "col_row": ("Dòng", "Row"),
    "col_column": ("Cột", "Column"),
    "col_value": ("Giá trị", "Value"),
    "col_reason": ("Lý do", "Reason"),
    "col_suggestion": ("Gợi ý", "Suggestion"),
    "col_district": ("Huyện", "District"),
    "col_criterion": ("Tiêu chí", "Criterion"),
    "col_count": ("Số xã chưa đạt", "Communes not meeting it"),
    "col_series": ("Chỉ tiêu", "Series"),
    "col_current": ("Hiện tại", "Current"),
    "col_target": ("Mục tiêu", "Target"),
    "no_trends": (
        "Mọi đơn vị của {district} có dữ liệu đều đã đạt đủ tiêu chí ở mọi thời điểm trong dữ "
        "liệu: không có diễn biến nào để vẽ (xem bảng khoảng cách).",
        "Every unit of {district} with data has all its criteria at every date in the data: "
        "there is no trend to draw (see the gap table)."),
    "no_tallies": (
        "Chưa có số liệu tiêu chí nào của {district} trong dữ liệu; bảng và biểu đồ xu hướng "
        "sẽ có khi huyện gửi số liệu.",
        "No criteria tallies for {district} in the data yet; the tables and trend charts "
        "appear once the district reports.",
    ),
    "no_gap_left": (
        "Mọi đơn vị của {district} có trong dữ liệu đã đạt đủ tiêu chí: không còn khoảng cách.",
        "Every unit of {district} in the data has all its criteria: no gap left."),
    "no_quality_notes": (
        "Không có dòng nào bị loại liên quan đến huyện này.",
        "No rejected rows concern this district.",
    ),
    "no_unmet": (
        "Chưa có số liệu từng tiêu chí của huyện này.",
        "No per-criterion data for this district.",
    ),
    "unmet_from_facts": (
        "Toàn tỉnh, {date}: {items}.", "Province-wide, {date}: {items}."),
    "statement_source": ("Nguồn: {source}.", "Source: {source}."),
    "statement_superseded": (
        "Đã cũ: sau {date}, mọi đơn vị của huyện có số liệu đều đã đạt đủ tiêu chí.",
        "Superseded: after {date}, every unit of the district with data met all its "
        "criteria."),
    "unmet_note": (
        "Theo báo cáo toàn tỉnh (không có số liệu từng tiêu chí theo xã).",
        "From the province-wide report (no per-commune criterion data).",
    ),
    # charts: the alternative text of each, for screen readers
    "alt_gap": ("Biểu đồ cột: số tiêu chí còn thiếu của {n} đơn vị thuộc {district}.",
                "Bar chart: criteria still unmet by {n} units of {district}."),
    "alt_trends": ("Biểu đồ đường: số tiêu chí đạt theo thời gian của {n} đơn vị thuộc "
                   "{district}, với hạn và dự kiến.",
                   "Line charts: criteria met over time by {n} units of {district}, with "
                   "deadlines and projections."),
    "alt_heatmap": ("Bảng màu: tiêu chí đạt và chưa đạt của từng xã thuộc {district}.",
                    "Heat map: criteria met and not met by each commune of {district}."),
    "alt_history": ("Biểu đồ đường: số tiêu chí đạt theo thời gian của từng đơn vị trước sáp "
                    "nhập vào {commune}, {n} biểu đồ riêng.",
                    "Line charts: criteria met over time by each unit merged into {commune}, "
                    "{n} separate panels."),
    "alt_series": ("Biểu đồ: các chỉ tiêu toàn tỉnh {province} theo thời gian, so với mục tiêu; "
                   "số liệu mới nhất: {parts}.",
                   "Charts: {province} province series over time against their targets; "
                   "latest figures: {parts}."),
    "alt_series_part": ("{series} {value} ({date})", "{series} {value} ({date})"),
    "alt_map": ("Bản đồ: các xã của tỉnh {province} theo mức đạt chuẩn: {parts}.",
                "Map: the communes of {province} province by status: {parts}."),
    "alt_timeline": ("Biểu đồ: {n} mốc công nhận và đạt đủ tiêu chí ở tỉnh {province}, từ "
                     "{first} đến {last}.",
                     "Chart: {n} recognitions and complete tallies in {province} province, "
                     "from {first} to {last}."),
    "alt_timeline_empty": ("Biểu đồ: chưa có mốc công nhận hay đạt đủ tiêu chí ở tỉnh {province}.",
                           "Chart: no recognition or complete tally yet in {province} province."),
    # charts
    "chart_gap_title": ("Số tiêu chí còn thiếu — {district}", "Criteria still unmet — {district}"),
    "chart_trend_title": ("{unit} ({level})", "{unit} ({level})"),
    "chart_map_title": ("Các xã theo mức đạt chuẩn", "Communes by status"),
    "chart_timeline_title": ("Mốc công nhận và đạt đủ tiêu chí", "Recognitions and full tallies"),
    "chart_heatmap_title": ("Tiêu chí × xã", "Criteria × commune"),
    "axis_gap": ("Số tiêu chí còn thiếu (tiêu chí)", "Criteria still unmet (criteria)"),
    "axis_met": ("Số tiêu chí đạt (tiêu chí)", "Criteria met (criteria)"),
    "axis_date": ("Thời điểm", "Date"),
    "axis_share": ("Tỷ lệ (%)", "Share (%)"),
    "axis_count": ("Số lượng (đơn vị)", "Count (units)"),
    "axis_lon": ("Kinh độ (°Đ)", "Longitude (°E)"),
    "axis_lat": ("Vĩ độ (°B)", "Latitude (°N)"),
    "legend_reported": ("Số liệu báo cáo", "Reported tally"),
    "legend_implied": ("Công nhận (suy ra đủ tiêu chí)", "Recognition (all criteria implied)"),
    "legend_target": ("Chuẩn ({total} tiêu chí)", "Standard ({total} criteria)"),
    "legend_deadline": ("Hạn kế hoạch", "Planned deadline"),
    "legend_projection": ("Dự báo theo tốc độ thực tế", "Projection at observed pace"),
    "legend_target_value": ("Mục tiêu {text} ({year})", "Target {text} ({year})"),
    "unit_status_met_own": ("đạt chuẩn NTM (số liệu của xã)", "at NTM (its own figure)"),
    "unit_status_met_implied": ("đạt chuẩn NTM (suy từ công nhận)",
                                "at NTM (implied by a recognition)"),
    "unit_status_not_met": ("chưa đạt chuẩn NTM", "not at NTM"),
    "unit_status_unknown": ("chưa có số liệu", "no data"),
    "unit_status_not_assessed": ("không thuộc diện đánh giá xã NTM (phường, đặc khu)",
                                 "not assessed as a xã (phường, đặc khu)"),
    "axis_units": ("Số đơn vị", "Units"),
    "chart_unit_status_title": ("Các đơn vị cấp xã theo tình trạng NTM",
                                "Commune-level units by NTM status"),
    "alt_missing": ("Hình không có mô tả.", "An image without a description."),
    "alt_unit_status": ("Biểu đồ: {parts}.", "Chart: {parts}."),
    "alt_map_2025": ("Bản đồ: các đơn vị cấp xã của tỉnh {province} theo tình trạng NTM: "
                     "{parts}.", "Map: the commune-level units of {province} by NTM "
                     "status: {parts}."),
    "section_unit_status": ("Tình trạng NTM của các đơn vị", "NTM status of the units"),
    "section_reconcile": ("Đối chiếu số liệu của tỉnh", "The province's figure reconciled"),
    "reconcile_reported": ("Tỉnh báo cáo xã đạt chuẩn NTM", "Xã at NTM, as the province "
                           "reports"),
    "reconcile_named": ("Trong đó dữ liệu nêu được tên", "Of which the data names"),
    "reconcile_unnamed": ("Chưa nêu được tên", "Not named by the data"),
    "reconcile_candidates": (
        "Xã có mọi xã trước sáp nhập đã đạt chuẩn NTM đến 30/06/2025 (không tính là đạt)",
        "Xã whose every predecessor xã was at NTM by 30/06/2025 (not counted as at NTM)"),
    "col_names": ("Tên", "Names"),
    "col_unit_status": ("Tình trạng NTM", "NTM status"),
    "status_nang_cao": ("NTM nâng cao", "Advanced NTM"),
    "status_ntm": ("Đạt chuẩn NTM", "NTM"),
    "status_unknown": ("Chưa có số liệu công nhận", "No recognition in the data"),
    "status_not_rural": ("Phường, thị trấn", "Ward or town"),
    "source_line": (
        "Nguồn: {sources}. Số liệu đến {date}.", "Source: {sources}. Data as of {date}."),
    "series_ntm_communes_share": ("Tỷ lệ xã đạt chuẩn NTM (%)", "Share of communes at NTM (%)"),
    "series_ntm_communes_count": ("Số xã đạt chuẩn NTM", "Communes at NTM"),
    "series_nang_cao_communes_count": ("Số xã NTM nâng cao", "Advanced NTM communes"),
    "series_ntm_districts_count": ("Số huyện đạt chuẩn NTM", "Districts at NTM"),
    "col_required_area": ("Tốc độ cần (/năm)", "Required pace (/yr)"),
    "col_observed_area": ("Tốc độ thực tế (/năm)", "Observed pace (/yr)"),
    "processed_missing": (
        "Chưa có dữ liệu đã làm sạch trong {path}. Chạy “make reports” hoặc “ntm clean” trước.",
        "No processed tables in {path} yet. Run “make reports” or “ntm clean” first."),
    "quality_unattributed": (
        "Dòng bị loại không gắn được với huyện nào",
        "Rejected rows not attributable to a district"),
    # batch reports
    "index_title": (
        "Báo cáo xây dựng nông thôn mới tỉnh {province}",
        "New Rural Development reports: {province} province"),
    "index_run": ("Lập lúc {time} (lần chạy {run_id})", "Generated {time} (run {run_id})"),
    "index_headers": (
        "Huyện|Tiêu chí huyện NTM|Thời điểm số liệu|Đánh giá|Hạn|Xã đạt chuẩn NTM|Báo cáo",
        "District|District NTM criteria|Data date|Rating|Deadline|Communes at NTM|Report"),
    "no_plan": ("không có kế hoạch", "no plan"),
    "coverage": (
        "Trang này dựa trên {tallies} kết quả tiêu chí và {facts} dữ kiện ({first} – {last}), "
        "từ {sources} nguồn.",
        "This page rests on {tallies} criteria tallies and {facts} facts ({first} – {last}), "
        "from {sources} sources."),
    "coverage_none": (
        "Trang này chưa có số liệu nào về đơn vị này trong các nguồn đang có.",
        "No data about this unit in the sources held."),
    "index_overview": ("Tổng quan toàn tỉnh", "Province overview"),
    "index_new_overview": (
        "Tổng quan toàn tỉnh từ 01/07/2025", "Province overview from 01/07/2025"),
    "index_legacy": (
        "Trước 01/07/2025: các huyện của tỉnh {province}",
        "Before 01/07/2025: the districts of {province} province"),
    "index_new": (
        "Từ 01/07/2025: các xã, phường, đặc khu của tỉnh {province}",
        "From 01/07/2025: the communes, wards and special zones of {province} province"),
    "index_commune_headers": (
        "Đơn vị|Bộ tiêu chí 2026–2030|Thời điểm|Đơn vị trước sáp nhập đạt chuẩn NTM (đến {date})"
        "|Báo cáo",
        "Unit|2026–2030 set|Date|Predecessors at NTM (by {date})|Report"),
    "index_sources": ("Nguồn dữ liệu", "Data sources"),
    "run_ok": ("đã lập", "done"),
    "run_failed": ("lỗi", "failed"),
    "run_up_to_date": ("không đổi", "up to date"),
    "run_missing": ("chưa lập", "not generated"),
    "summary_headers": (
        "Báo cáo|Trạng thái|Thời gian (s)|Lỗi|Ô", "Report|Status|Time (s)|Error|Cell"),
    "progress_line": (
        "xong {done} · lỗi {failed} · còn {left} · {elapsed}",
        "done {done} · failed {failed} · left {left} · {elapsed}"),
    "progress_log": ("{status}: {name} ({seconds:.1f} s)", "{status}: {name} ({seconds:.1f} s)"),
    "report_cleaning": (
        "Dữ liệu gốc mới hơn dữ liệu đã làm sạch: chạy ntm clean trước.",
        "Raw data is newer than the processed tables: running ntm clean first."),
    "report_written": ("Đã ghi báo cáo vào {path}", "Reports written to {path}"),
    "bad_era_arg": (
        "Không có thời kỳ “{value}”; chọn một trong: {choices}.",
        "No era “{value}”; choose one of: {choices}."),
    "bad_date_arg": (
        "Không đọc được ngày “{value}”; ghi dạng 2022-05-31 hoặc 31/05/2022.",
        "Cannot read the date “{value}”; write it as 2022-05-31 or 31/05/2022."),
    "template_missing": ("Không có tệp mẫu {path}.", "No template notebook at {path}."),
    "template_no_parameters": (
        "Tệp mẫu {path} không có ô gắn thẻ “parameters”.",
        "The template {path} has no cell tagged “parameters”."),
    "template_unknown_parameters": (
        "Tệp mẫu {path} không khai báo tham số: {names}. Thêm chúng vào ô parameters.",
        "The template {path} does not declare the parameters: {names}. Add them to its "
        "parameters cell."),
    "lock_busy": (
        "Một lần lập báo cáo khác đang chạy trên {path}; thử lại sau khi nó xong.",
        "Another report run is using {path}; try again when it has finished."),
    "worker_died": (
        "Tiến trình chạy báo cáo này đã dừng đột ngột (mã thoát {code}); các báo cáo khác "
        "vẫn chạy tiếp.",
        "The process running this report ended abruptly (exit code {code}); the other "
        "reports went on."),
    # clean summary
    "clean_header": ("tệp|đọc|nhận|gộp trùng|loại|trong đó sửa",
                     "file|read|accepted|merged|rejected|of which repaired"),
    "clean_total": ("TỔNG", "TOTAL"),
    "clean_sheet_repaired": ("Đã sửa {file}: {repairs}", "Repaired {file}: {repairs}"),
    "clean_unreadable": ("không đọc được", "unreadable"),
    "clean_written": ("Đã ghi {n} bảng vào {path}", "Wrote {n} tables to {path}"),
    "clean_rejected_hint": (
        "{n} dòng bị loại; xem lý do trong {path}",
        "{n} rows rejected; see the reasons in {path}",
    ),
    "check_ok": ("{file}: không có lỗi ({n} dòng).", "{file}: no problems ({n} rows)."),
    "file_missing": ("Không có tệp {path}.", "No such file: {path}."),
    "refused_rows": ("{n} dòng", "{n} rows"),
    "bad_language": ("Không có ngôn ngữ “{value}”; chọn một trong: {choices}.",
                     "No language “{value}”; choose one of: {choices}."),
    "cluster_missing": (
        "--scheduler cần gói dask.distributed: cài bằng pip install -e '.[cluster]'.",
        "--scheduler needs dask.distributed: install it with pip install -e '.[cluster]'."),
    # data-entry forms (ntm template) and reading them back
    "reason_form_no_date": (
        "Trang “{sheet}” không có ngày đánh giá: ghi ngày ở ô “Ngày đánh giá” phía trên hoặc "
        "ở cột ngày của dòng này.",
        "Sheet “{sheet}” has no assessment date: type it in the “Ngày đánh giá” cell at the "
        "top or in this row's date column."),
    "reason_form_era_mismatch": (
        "Ngày đánh giá không thuộc thời kỳ của biểu mẫu: biểu mẫu dành cho đơn vị hành chính "
        "{era_vi}.",
        "The assessment date is outside the form's era: the form is for the units {era_en}."),
    "reason_form_period_mismatch": (
        "Ngày đánh giá không thuộc giai đoạn {period} của bộ tiêu chí trong biểu mẫu.",
        "The assessment date is outside the period {period} of the form's criteria set."),
    "reason_form_blank_indicator": (
        "Chưa nhập giá trị cho chỉ tiêu này trong biểu mẫu.",
        "No value typed for this indicator in the form."),
    "reason_form_blank_status": (
        "Chưa chọn đánh giá (Đạt/Chưa đạt) cho tiêu chí này.",
        "No status chosen (Đạt/Chưa đạt) for this criterion."),
    "reason_form_bad_status": (
        "Đánh giá không phải một giá trị của danh sách chọn (bị dán đè?): chỉ nhận Đạt hoặc "
        "Chưa đạt.",
        "The status is not one of the dropdown's values (pasted over?): only Đạt or Chưa đạt."),
    "reason_form_contradicted": (
        "Không tính số tiêu chí đạt của trang: có đánh giá tiêu chí trái với các chỉ tiêu của "
        "nó (xem dòng bị loại của tiêu chí đó).",
        "The sheet's count of criteria met is not taken: a criterion's status contradicts its "
        "indicators (see that criterion's rejected row)."),
    "reason_form_incomplete": (
        "Không tính số tiêu chí đạt của trang: {n} trong {total} tiêu chí chưa được nhận "
        "(xem các dòng bị loại phía trên).",
        "The sheet's count of criteria met is not taken: {n} of {total} criteria were not "
        "accepted (see the rejected rows above)."),
    "reason_form_mixed_dates": (
        "Không tính số tiêu chí đạt của trang: các tiêu chí có ngày đánh giá khác nhau.",
        "The sheet's count of criteria met is not taken: its criteria have different dates."),
    "reason_form_unfilled": (
        "Biểu mẫu chưa điền (không có đánh giá, ngày hay nguồn nào).",
        "The form is not filled in (no status, date or source)."),
    "reason_form_layout": (
        "Biểu mẫu theo bố cục của phiên bản khác (ô khóa ghi trong cột giá trị); phần mềm này "
        "không đọc ô nào của nó. Tạo lại biểu mẫu bằng ntm template của phiên bản này và "
        "nhập lại.",
        "The form has another version's layout (its key is in the value column); this "
        "version reads none of its cells. Make the form again with this version's ntm "
        "template and copy the entries over."),
    "reason_form_bad_key": (
        "Ô khóa của biểu mẫu bị sửa hoặc bộ tiêu chí không có trong danh mục; tạo lại biểu "
        "mẫu bằng ntm template.",
        "The form's key cell was changed or names a criteria set the catalogue lacks; make "
        "the form again with ntm template."),
    "era_legacy": ("trước 01/07/2025 (tỉnh – huyện – xã)",
                        "before 01/07/2025 (province – district – commune)"),
    "era_2025": ("từ 01/07/2025 (tỉnh – xã)", "from 01/07/2025 (province – commune)"),
    "form_title": ("PHIẾU ĐÁNH GIÁ MỨC ĐẠT TIÊU CHÍ NÔNG THÔN MỚI",
                   "NEW RURAL DEVELOPMENT CRITERIA ASSESSMENT FORM"),
    "form_unit": ("Đơn vị", "Unit"),
    "form_code": ("Mã đơn vị (GSO)", "Unit code (GSO)"),
    "form_era": ("Thời kỳ đơn vị hành chính", "Administrative era"),
    "form_set": ("Bộ tiêu chí", "Criteria set"),
    "form_set_value": ("{level}, giai đoạn {period} ({basis})", "{level}, {period} ({basis})"),
    "form_group": ("Nhóm xã (1, 2 hoặc 3)", "Commune group (1, 2 or 3)"),
    "form_date": ("Ngày đánh giá (ngày/tháng/năm)", "Assessment date (day/month/year)"),
    "form_help_1": (
        "Hướng dẫn: ở cột “Đánh giá” chọn Đạt hoặc Chưa đạt cho từng tiêu chí; ghi ngày đánh "
        "giá ở ô trên (hoặc ở từng dòng nếu khác).",
        "How to fill: in the “Đánh giá” column choose Đạt or Chưa đạt for each criterion; "
        "type the assessment date above (or on a row when it differs)."),
    "form_help_2": (
        "Ghi số quyết định hoặc nguồn ở cột “Nguồn”. Ô nền xám do phần mềm ghi và đã khóa; "
        "đổi tên tệp không ảnh hưởng.",
        "Put the decision number or source in the “Nguồn” column. Grey cells are written "
        "by the tool and locked; renaming the file does no harm."),
    "form_headers": ("TT|Tiêu chí|Đánh giá|Ngày đánh giá|Nguồn / số quyết định|Ghi chú",
                     "No.|Criterion|Status|Assessment date|Source / decision no.|Note"),
    "form_tally": ("Số tiêu chí đạt", "Criteria met"),
    "form_indicator_headers": (
        "Mã chỉ tiêu|Chỉ tiêu (tiêu chí)|Giá trị|Ngày đánh giá|Nguồn|Đơn vị tính",
        "Code|Indicator (criterion)|Value|Assessment date|Source|Unit"),
    "form_indicator_title": (
        "Chỉ tiêu (ghi giá trị theo đơn vị tính; ô trống bị loại khi đã nhập bảng này)",
        "Indicators (values in their unit; a blank one is rejected once this table is used)"),
    "form_value_error": (
        "Giá trị không đúng đơn vị tính của chỉ tiêu ({unit}).",
        "The value is not in the indicator's unit ({unit})."),
    "form_unit_percent": ("%, từ 0 đến 100", "%, 0 to 100"),
    "form_unit_million_vnd_per_person_year": ("triệu đồng/người/năm", "million VND per "
                                              "person per year"),
    "form_unit_count": ("số nguyên", "whole number"),
    "form_unit_yes_no": ("Có/Không", "Yes/No (Có/Không)"),
    "template_no_thresholds": (
        "Chưa có ngưỡng chỉ tiêu đã làm sạch trong {path}: biểu mẫu 2026-2030 chỉ có tiêu chí. "
        "Điền sheet ngưỡng (ntm template --thresholds), chạy ntm clean, rồi tạo lại biểu mẫu "
        "để có bảng chỉ tiêu.",
        "No cleaned indicator thresholds in {path}: the 2026-2030 forms list criteria only. "
        "Fill the thresholds sheet (ntm template --thresholds), run ntm clean, then make the "
        "forms again to get the indicator table."),
    "form_status_error": (
        "Chỉ chọn Đạt hoặc Chưa đạt trong danh sách.",
        "Choose Đạt or Chưa đạt from the list."),
    "form_group_error": ("Nhóm xã là 1, 2 hoặc 3.", "The commune group is 1, 2 or 3."),
    "form_date_warning": (
        "Ngày đánh giá nên là một ngày (ngày/tháng/năm).",
        "The assessment date should be a date (day/month/year)."),
    "form_guide_sheet": ("Hướng dẫn", "Instructions"),
    "form_guide": (
        "Biểu mẫu này do ntm-analysis (lệnh ntm template) tạo để nhập mức đạt tiêu chí nông "
        "thôn mới.|Mỗi trang là một đơn vị: tên, mã, thời kỳ và bộ tiêu chí đã ghi sẵn và "
        "khóa (không cần mật khẩu để mở khóa, nhưng xin đừng sửa).|Ở mỗi tiêu chí chọn Đạt "
        "hoặc Chưa đạt trong danh sách; không gõ hay dán chữ khác.|Ghi ngày đánh giá ở ô "
        "“Ngày đánh giá”; một dòng có ngày riêng thì ghi ở cột ngày của dòng đó.|Ghi số quyết "
        "định hoặc nguồn (văn bản, báo cáo) ở cột “Nguồn”; ghi chú ở cột cuối.|Xã chọn nhóm "
        "xã (1, 2 hoặc 3) nếu bộ tiêu chí có nhóm.|Lưu tệp dạng .xlsx và gửi lại. Văn phòng "
        "điều phối đặt tệp vào data/raw/ rồi chạy make reports.|Dòng nào không đọc được sẽ có "
        "lý do trong data/processed/rejected.csv; không dòng nào bị bỏ qua âm thầm.",
        "This form was made by ntm-analysis (the ntm template command) to record how many "
        "new rural development criteria a unit meets.|Each sheet is one unit: its name, "
        "code, era and criteria set are written and locked (no password, but please leave "
        "them).|For each criterion choose Đạt or Chưa đạt from the list; do not type or "
        "paste other words.|Type the assessment date in the “Ngày đánh giá” cell; a row "
        "with its own date takes it in its date column.|Put the decision number or source in "
        "the “Nguồn” column; notes in the last column.|Communes choose their commune group "
        "(1, 2 or 3) when the set has groups.|Save as .xlsx and send it back. The office "
        "puts the files in data/raw/ and runs make reports.|A row that cannot be read gets "
        "its reason in data/processed/rejected.csv; no row is dropped silently."),
    "thresholds_written": ("Đã ghi sheet ngưỡng chỉ tiêu cần điền: {path}",
                           "Wrote the indicator thresholds sheet to fill: {path}"),
    "thresholds_sheet": ("Ngưỡng chỉ tiêu 2026-2030", "Indicator thresholds 2026-2030"),
    "thresholds_unit_error": ("Chọn đơn vị trong danh sách.", "Pick a unit from the list."),
    "thresholds_direction_error": ("Chọn \"tối thiểu\" hoặc \"tối đa\".",
                                   "Pick \"tối thiểu\" (at least) or \"tối đa\" (at most)."),
    "thresholds_criterion_error": ("Tiêu chí từ 1 đến 10.", "A criterion from 1 to 10."),
    "thresholds_guide": (
        "Mỗi dòng là một chỉ tiêu của Bộ tiêu chí xã NTM 2026–2030 (QĐ 51/2025/QĐ-TTg, Phụ lục "
        "I): mã dạng <tiêu chí>.<số> (ví dụ 6.1), tên, đơn vị tính, chiều đánh giá.|Ghi ngưỡng "
        "của từng nhóm xã theo văn bản đã ban hành: nhóm 1 là xã liền kề đô thị (mức cao nhất), "
        "nhóm 3 là xã khu vực II, III vùng dân tộc thiểu số và miền núi; không dùng dự thảo "
        "07/2025 (đánh số nhóm ngược lại).|Ô để trống là chưa có ngưỡng: số liệu của nhóm đó sẽ "
        "bị từ chối và nêu lý do, không bao giờ tự điền.|Cột Văn bản: số hiệu văn bản và hướng "
        "dẫn của tỉnh.|Đặt tệp vào data/raw/ rồi chạy ntm clean.",
        "Each row is one indicator of the 2026–2030 commune set (QĐ 51/2025/QĐ-TTg, Annex I): "
        "code <criterion>.<number> (e.g. 6.1), name, unit, direction.|Enter each commune "
        "group's threshold from the decision as issued: group 1 is near urban areas (the "
        "strictest), group 3 the ethnic-minority and mountain communes of regions II and III; "
        "not the July 2025 draft (groups numbered the other way).|An empty cell is a missing "
        "threshold: that group's values are rejected with the reason, never filled in.|"
        "Document column: the decision's number and the province's guidance.|Put the file "
        "in data/raw/ and run ntm clean."),
    "national_era": (
        "Chạy nhiều tỉnh chỉ theo đơn vị từ 01/07/2025 (--era 2025): 34 tỉnh, thành mới chia "
        "trọn 3.321 xã, phường, đặc khu.",
        "A run of several provinces is of the units from 01/07/2025 (--era 2025): the 34 new "
        "provinces partition the 3,321 communes, wards and special zones."),
    "national_units": (
        "Khi chạy nhiều tỉnh, không chọn từng huyện hay xã (--district, --commune).",
        "A run of several provinces takes no --district or --commune."),
    "national_progress": ("Tỉnh {i}/{n}: {province}", "Province {i}/{n}: {province}"),
    "national_written": ("Đã ghi trang tổng hợp {n} tỉnh: {path}",
                         "Wrote the index of {n} provinces: {path}"),
    "national_title": ("Nông thôn mới: các tỉnh, thành phố (đơn vị từ 01/07/2025)",
                       "New Rural Development: provinces (units from 01/07/2025)"),
    "national_run": ("{n} tỉnh, thành phố · tạo lúc {time}",
                     "{n} provinces · made at {time}"),
    "national_headers": ("Tỉnh, thành phố|Xã|Phường|Đặc khu|Xã đạt NTM (số liệu mới nhất có "
                         "nguồn)|Đơn vị có số tiêu chí đạt từ 01/07/2025|Trang đã có|Trang lỗi",
                         "Province|Communes (xã)|Wards (phường)|Special zones|Communes at NTM "
                         "(latest sourced figure)|Units with tallies from 01/07/2025|Pages made|"
                         "Pages failed"),
    "national_series": ("Số liệu cả nước (Văn phòng Điều phối nông thôn mới Trung ương, qua báo "
                        "chí)", "The country's figures (Central Coordination Office, as "
                        "reported by the press)"),
    "national_series_headers": (
        "Thời điểm|Xã đạt NTM|Xã NTM nâng cao|Xã NTM kiểu mẫu|Bình quân tiêu chí/xã|"
        "Huyện đạt NTM|Nguồn",
        "Date|Communes at NTM|Advanced (nâng cao)|Model (kiểu mẫu)|Criteria per commune|"
        "Districts at NTM|Source"),
    "national_total": ("Tổng các tỉnh trên", "Total of the provinces above"),
    "national_page_headers": (
        "Tỉnh, thành phố|Xã|Phường|Đặc khu|Xã đạt NTM (số liệu mới nhất có nguồn)|Thời điểm|"
        "Đơn vị có số tiêu chí đạt từ 01/07/2025",
        "Province|Communes (xã)|Wards (phường)|Special zones|Communes at NTM (latest sourced "
        "figure)|Date|Units with tallies from 01/07/2025"),
    "national_unit_totals": (
        "{n} tỉnh, thành phố: {xa} xã, {phuong} phường, {dac_khu} đặc khu (danh mục đơn vị "
        "hành chính). Số xã đạt NTM của các tỉnh không được cộng lại: mỗi tỉnh công bố vào "
        "một thời điểm khác nhau.",
        "{n} provinces: {xa} communes, {phuong} wards, {dac_khu} special zones (the list of "
        "administrative units). The provinces' counts of communes at NTM are not added up: "
        "each was published on its own date."),
    "national_no_series": ("Chưa có số liệu cả nước có nguồn.",
                           "No sourced figure for the whole country yet."),
    "national_chart_title": ("Tỉ lệ xã đạt chuẩn NTM cả nước",
                             "Share of the country's communes at NTM"),
    "alt_national_series": ("Biểu đồ: tỉ lệ xã đạt chuẩn NTM cả nước theo thời điểm: {points}.",
                            "Chart: share of the country's communes at NTM by date: {points}."),
    "national_section_provinces": ("Các tỉnh, thành phố", "Provinces"),
    "national_section_series": ("Cả nước theo thời gian", "The country over time"),
    "national_page_link": ("Trang tổng quan cả nước", "The national overview page"),
    "template_written": ("Đã ghi {files} tệp biểu mẫu ({sheets} đơn vị) vào {path}",
                         "Wrote {files} form workbooks ({sheets} units) to {path}"),
    # workbooks of the reports
    "xlsx_text_sheet": ("Nội dung", "Text"),
    "xlsx_table": ("Bảng", "Table"),
    "xlsx_sources": ("Nguồn", "Sources"),
    "xlsx_sources_headers": ("Bảng|Số|Nguồn", "Table|No.|Source"),
    "xlsx_summary_sheet": ("Tổng hợp", "Summary"),
    "xlsx_summary_headers": (
        "Thời kỳ|Đơn vị|Tiêu chí đạt|Số tiêu chí còn thiếu|Đánh giá|Ngày đạt đủ tiêu chí|"
        "Ngày đạt chuẩn|Ngày số liệu|Hạn kế hoạch|Nguồn|Trang báo cáo",
        "Era|Unit|Criteria met|Criteria missing|Rating|All criteria met on|Reached on|"
        "Data date|Planned by|Source|Report page"),
    "report_pdf_written": ("Đã in {n} trang PDF vào {path}", "Printed {n} PDF pages to {path}"),
    "xlsx_link": ("Tải các bảng của trang này (Excel)", "Download this page's tables (Excel)"),
    "index_pdf": ("PDF", "PDF"),
    "pdf_link": ("Bản PDF khổ A4 để in, ký và gửi", "A4 PDF to print, sign and send"),
    "index_summary_link": ("Bảng tổng hợp mọi đơn vị (Excel)", "Summary of every unit (Excel)"),
    "template_header": ("tệp|đơn vị", "file|units"),
    "template_no_set": (
        "Danh mục không có bộ tiêu chí {level} giai đoạn {period}; chọn một trong: {choices}.",
        "The catalogue has no {level} set for {period}; choose one of: {choices}."),
    "template_district_era": (
        "--district chỉ dùng với --era legacy: từ 01/07/2025 không còn cấp huyện.",
        "--district needs --era legacy: there are no districts from 01/07/2025."),
}


_language = os.environ.get("NTM_LANG", "vi")


def check_language(lang: str) -> str:
    """Return ``lang`` when the catalogue has it; the one place languages are validated.

    Raises
    ------
    ValueError
        With a catalogue message naming the languages there are.
    """
    if lang not in LANGUAGES:
        raise ValueError(msg("bad_language", value=lang, choices=", ".join(LANGUAGES)))
    return lang


def set_language(lang: str) -> None:
    """Set the language of :func:`msg` for this process (``"vi"`` or ``"en"``)."""
    global _language
    _language = check_language(lang)


def get_language() -> str:
    """Return the current language."""
    return _language


def msg(key: str, lang: str | None = None, **fields: object) -> str:
    """Return the catalogue text of ``key`` in ``lang`` with ``fields`` filled in."""
    vi, en = CATALOGUE[key]
    text = en if (lang or _language) == "en" else vi
    return text.format(**fields) if fields else text
