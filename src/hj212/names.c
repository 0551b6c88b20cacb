/*
** The protocol's fixed vocabularies: refusal reasons (their names are
** Prometheus label values, so they never change), value field names, and
** the command codes of HJ 212-2017 table 9 plus the ones 2025 devices send.
*/
#include "hj212/hj212.h"
#include <stddef.h>
#include <string.h>

static const struct {
  const char *name, *text;
} REASONS[HJ212_REASON_COUNT] = {
    [HJ212_OK] = {"ok", "accepted"},
    [HJ212_E_GARBAGE] = {"garbage", "bytes outside any frame were skipped"},
    [HJ212_E_BAD_LENGTH] = {"bad_length", "the length field is not 4 digits"},
    [HJ212_E_TOO_LONG] = {"too_long", "the data segment is longer than 1024 bytes"},
    [HJ212_E_BAD_TRAILER] = {"bad_trailer", "no CR LF where the length says the frame ends"},
    [HJ212_E_LENGTH_OVERRUN] = {"length_overrun",
                                "a new frame starts before the length says this one ends"},
    [HJ212_E_BAD_CRC_HEX] = {"bad_crc_hex", "the CRC is not 4 hex digits"},
    [HJ212_E_CRC_MISMATCH] = {"crc_mismatch", "the CRC does not match the data segment"},
    [HJ212_E_BAD_UTF8] = {"bad_utf8", "the data segment is not valid UTF-8 text"},
    [HJ212_E_BAD_SYNTAX] = {"bad_syntax", "the data segment is not KEY=VALUE;...;CP=&&...&&"},
    [HJ212_E_UNKNOWN_FIELD] = {"unknown_field", "a header field the standard does not define"},
    [HJ212_E_DUPLICATE_FIELD] = {"duplicate_field", "a field is given twice"},
    [HJ212_E_MISSING_FIELD] = {"missing_field", "a required field is missing"},
    [HJ212_E_BAD_QN] = {"bad_qn", "QN is not a 17-digit time stamp"},
    [HJ212_E_BAD_ST] = {"bad_st", "ST is not a 2-character system code"},
    [HJ212_E_BAD_CN] = {"bad_cn", "CN is not a 4-digit command code"},
    [HJ212_E_BAD_PW] = {"bad_pw", "PW is empty, too long or has invalid characters"},
    [HJ212_E_BAD_MN] = {"bad_mn", "MN is empty, too long or has invalid characters"},
    [HJ212_E_BAD_FLAG] = {"bad_flag", "Flag is not an integer from 0 to 255"},
    [HJ212_E_BAD_PACKET_NUMBER] = {"bad_packet_number", "PNUM/PNO malformed or inconsistent with Flag"},
    [HJ212_E_BAD_DATATIME] = {"bad_datatime", "a time is not a valid YYYYMMDDhhmmss"},
    [HJ212_E_BAD_KEY] = {"bad_key", "a CP item has no '=' or an invalid name"},
    [HJ212_E_BAD_NUMBER] = {"bad_number", "a value is not a decimal number"},
    [HJ212_E_BAD_DATA_FLAG] = {"bad_data_flag", "a data flag is not one of N F M S D C T B"},
    [HJ212_E_OUT_OF_RANGE] = {"out_of_range", "a value is physically impossible for its code"},
    [HJ212_E_TOO_MANY_ITEMS] = {"too_many_items", "more pollutants or parameters than supported"},
    [HJ212_E_UNKNOWN_MN] = {"unknown_mn", "no station is registered with this MN"},
    [HJ212_E_WRONG_PASSWORD] = {"wrong_password", "the password does not match the station's"},
    [HJ212_E_ST_MISMATCH] = {"st_mismatch", "ST differs from the station's system type"},
    [HJ212_E_FUTURE_TIME] = {"future_time", "DataTime is too far in the future"},
    [HJ212_E_MISSING_DATATIME] = {"missing_datatime", "a data upload without DataTime"},
    [HJ212_E_UNSUPPORTED_CN] = {"unsupported_cn", "a command the platform does not accept"},
    [HJ212_E_BAD_SUBPACKET] = {"bad_subpacket", "a piece does not fit its split packet"},
    [HJ212_E_OVERLOAD] = {"overload", "the database writer is behind; packet not taken"},
};

const char *hj212_reason_name(enum hj212_reason r) {
  return (unsigned)r < HJ212_REASON_COUNT ? REASONS[r].name : "unknown";
}

const char *hj212_reason_text(enum hj212_reason r) {
  return (unsigned)r < HJ212_REASON_COUNT ? REASONS[r].text : "unknown reason";
}

static const char *const VALUE_NAMES[HJ212_NVALUES] = {
    "Rtd", "Avg", "Min", "Max", "Cou", "ZsRtd", "ZsAvg", "ZsMin", "ZsMax"};

const char *hj212_value_name(enum hj212_value v) {
  return (unsigned)v < HJ212_NVALUES ? VALUE_NAMES[v] : "?";
}

/* Table 5 of HJ 212-2017 (system codes, after GB/T 16706-1996), sorted by code. */
static const struct {
  const char *st, *name;
} SYSTEMS[] = {
    {"21", "地表水质量监测"},   {"22", "空气质量监测"},     {"23", "声环境质量监测"},
    {"24", "地下水质量监测"},   {"25", "土壤质量监测"},     {"26", "海水质量监测"},
    {"27", "挥发性有机物监测"}, {"31", "大气环境污染源"},   {"32", "地表水体环境污染源"},
    {"33", "地下水体环境污染源"}, {"34", "海洋环境污染源"}, {"35", "土壤环境污染源"},
    {"36", "声环境污染源"},     {"37", "振动环境污染源"},   {"38", "放射性环境污染源"},
    {"39", "工地扬尘污染源"},   {"41", "电磁环境污染源"},   {"51", "烟气排放过程监控"},
    {"52", "污水排放过程监控"}, {"91", "系统交互"},
};

const char *hj212_system_name(const char *st) {
  for (size_t i = 0; st && i < sizeof SYSTEMS / sizeof SYSTEMS[0]; i++)
    if (!strcmp(SYSTEMS[i].st, st)) return SYSTEMS[i].name;
  return NULL;
}

/* Table 9 of HJ 212-2017, then the 2025 additions as public
** implementations know them (hj212-sources.md section 3), sorted by CN. */
static const struct hj212_cn_info CNS[] = {
    {1000, HJ212_CN_REQUEST, "set timeout and retries", 2017},
    {1001, HJ212_CN_UPLOAD, "data logger serial number", 2025},
    {1002, HJ212_CN_REQUEST, "set data logger MN", 2025},
    {1011, HJ212_CN_REQUEST, "get station time", 2005},
    {1012, HJ212_CN_REQUEST, "set station time", 2005},
    {1013, HJ212_CN_NOTIFY, "time calibration request", 2017},
    {1014, HJ212_CN_REQUEST, "key exchange", 2025},
    {1061, HJ212_CN_REQUEST, "get real-time data interval", 2017},
    {1062, HJ212_CN_REQUEST, "set real-time data interval", 2017},
    {1063, HJ212_CN_REQUEST, "get minute data interval", 2017},
    {1064, HJ212_CN_REQUEST, "set minute data interval", 2017},
    {1072, HJ212_CN_REQUEST, "set password", 2005},
    {2011, HJ212_CN_UPLOAD, "real-time data", 2005},
    {2012, HJ212_CN_REQUEST, "stop real-time data", 2005},
    {2013, HJ212_CN_UPLOAD, "raw monitoring data", 2025},
    {2021, HJ212_CN_UPLOAD, "equipment running state", 2005},
    {2022, HJ212_CN_REQUEST, "stop equipment running state", 2005},
    {2031, HJ212_CN_UPLOAD, "daily data", 2005},
    {2041, HJ212_CN_UPLOAD, "daily equipment running time", 2005},
    {2051, HJ212_CN_UPLOAD, "minute data", 2005},
    {2052, HJ212_CN_UPLOAD, "single noise measurement", 2025},
    {2061, HJ212_CN_UPLOAD, "hourly data", 2005},
    {2062, HJ212_CN_UPLOAD, "standard check data", 2025},
    {2081, HJ212_CN_UPLOAD, "data logger boot time", 2017},
    {2111, HJ212_CN_UPLOAD, "furnace temperature 5-minute mean", 2025},
    {3011, HJ212_CN_REQUEST, "zero/span calibration", 2017},
    {3012, HJ212_CN_REQUEST, "immediate sampling", 2017},
    {3013, HJ212_CN_REQUEST, "cleaning/blowback", 2017},
    {3014, HJ212_CN_REQUEST, "comparison sampling", 2017},
    {3015, HJ212_CN_UPLOAD, "over-limit sample retention", 2017},
    {3016, HJ212_CN_REQUEST, "set sampling period", 2017},
    {3017, HJ212_CN_UPLOAD, "sampling period", 2017},
    {3018, HJ212_CN_UPLOAD, "sample output time", 2017},
    {3019, HJ212_CN_UPLOAD, "instrument unique id", 2017},
    {3020, HJ212_CN_UPLOAD, "station information", 2017},
    {3021, HJ212_CN_REQUEST, "set station parameter", 2017},
    {3022, HJ212_CN_REQUEST, "immediate retention sample", 2025},
    {3024, HJ212_CN_REQUEST, "start standard check", 2025},
    {9011, HJ212_CN_REPLY, "request answer", 2005},
    {9012, HJ212_CN_REPLY, "execution result", 2005},
    {9013, HJ212_CN_REPLY, "notification answer", 2005},
    {9014, HJ212_CN_REPLY, "data answer", 2005},
    {9015, HJ212_CN_HEARTBEAT, "heartbeat", 2025},
};

const struct hj212_cn_info *hj212_cn_find(int cn) {
  size_t lo = 0, hi = sizeof CNS / sizeof CNS[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (CNS[mid].cn == cn) return &CNS[mid];
    if (CNS[mid].cn < cn) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}
