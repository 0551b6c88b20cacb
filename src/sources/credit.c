/*
** GB 32100-2015 and GB 11714-1997 check characters (credit.h).
*/
#include "sources/credit.h"
#include <stdio.h>
#include <string.h>

static const char CHARSET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int WEIGHTS[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
static const int ORG_WEIGHTS[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* The GB 32100 value of C (0..30), or -1 if C is not of the set. */
static int char_value(char c) {
  const char *p = c ? strchr(CHARSET, c) : NULL;
  return p ? (int)(p - CHARSET) : -1;
}

/* The GB 11714 value of C: digits 0-9, letters A-Z 10..35. */
static int org_value(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10;
}

char credit_check_character(const char *code17) {
  int sum = 0;
  for (int i = 0; i < 17; i++) sum += char_value(code17[i]) * WEIGHTS[i];
  return CHARSET[(31 - sum % 31) % 31];
}

char credit_org_check_character(const char *body8) {
  int sum = 0;
  for (int i = 0; i < 8; i++) sum += org_value(body8[i]) * ORG_WEIGHTS[i];
  int c = 11 - sum % 11;
  return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

static int fail(struct credit_result *r, enum credit_error e, int position, char expected,
                const char *what) {
  if (r) {
    r->error = e;
    r->position = position;
    r->expected = expected;
    snprintf(r->message, sizeof r->message, "%s", what);
  }
  return -1;
}

int credit_code_check(const char *code, size_t len, struct credit_result *r) {
  char msg[128];
  if (len != CREDIT_CODE_LEN) {
    snprintf(msg, sizeof msg, "%zu characters, not 18 (GB 32100)", len);
    return fail(r, CREDIT_E_LENGTH, len < CREDIT_CODE_LEN ? (int)len + 1 : CREDIT_CODE_LEN + 1,
                0, msg);
  }
  for (int i = 0; i < CREDIT_CODE_LEN; i++) {
    if (char_value(code[i]) < 0) {
      snprintf(msg, sizeof msg, "position %d: '%c' is not a GB 32100 character (0-9, A-Z without I O Z S V)",
               i + 1, code[i] > ' ' && code[i] < 127 ? code[i] : '?');
      return fail(r, CREDIT_E_CHARACTER, i + 1, 0, msg);
    }
    if (i >= 2 && i < 8 && (code[i] < '0' || code[i] > '9')) {
      snprintf(msg, sizeof msg, "position %d: '%c' in the division code (positions 3-8), which is digits",
               i + 1, code[i]);
      return fail(r, CREDIT_E_DIVISION, i + 1, 0, msg);
    }
  }
  char org = credit_org_check_character(code + 8);
  if (code[16] != org) {
    snprintf(msg, sizeof msg, "position 17: '%c', but the organisation code's GB 11714 check digit is '%c'",
             code[16], org);
    return fail(r, CREDIT_E_ORG_CHECK, 17, org, msg);
  }
  char check = credit_check_character(code);
  if (code[17] != check) {
    snprintf(msg, sizeof msg, "position 18: '%c', but the GB 32100 check character is '%c'",
             code[17], check);
    return fail(r, CREDIT_E_CHECK, 18, check, msg);
  }
  if (r) *r = (struct credit_result){.error = CREDIT_OK};
  return 0;
}
