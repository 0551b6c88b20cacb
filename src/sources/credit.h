/*
** 统一社会信用代码 (unified social credit code) validation, pure.
**
** GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》: 18 characters
** from the set 0-9 A-Z without I O Z S V (31 characters, valued 0..30 in
** that order): position 1 the registration department, 2 the kind of
** organisation, 3-8 the registering authority's division code (GB/T 2260,
** digits), 9-17 the subject identifier (the organisation code of
** GB 11714-1997), 18 the check character: weights W_i = 3^(i-1) mod 31
** (1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28), C18 = 31 - (sum mod 31),
** 31 written 0.
** GB 11714-1997 《全国组织机构代码编制规则》: 8 body characters (digits
** 0-9, letters A-Z valued 10..35) with weights 3 7 9 10 5 8 4 2; check
** C9 = 11 - (sum mod 11), 10 written X, 11 written 0.
** Positions 1 and 2 are only checked against the character set: the list
** of registration departments has grown since 2015 [U], and a code the
** registry issued must not be refused for a department we do not know.
*/
#ifndef QS_SOURCES_CREDIT_H
#define QS_SOURCES_CREDIT_H
#include <stddef.h>

#define CREDIT_CODE_LEN 18

enum credit_error {
  CREDIT_OK = 0,
  CREDIT_E_LENGTH,      /* not 18 characters */
  CREDIT_E_CHARACTER,   /* a character outside the GB 32100 set */
  CREDIT_E_DIVISION,    /* positions 3-8 not digits */
  CREDIT_E_ORG_CHECK,   /* position 17: the GB 11714 check digit is wrong */
  CREDIT_E_CHECK,       /* position 18: the GB 32100 check character is wrong */
};

struct credit_result {
  enum credit_error error;
  int position;         /* 1-based position of the wrong character, 0 if none */
  char expected;        /* the check character that should be there (check errors) */
  char message[128];    /* English, names the position */
};

/* Check CODE (LEN bytes, no trimming, upper case only). Returns 0, or -1
** with R saying what and where. R may be NULL. */
int credit_code_check(const char *code, size_t len, struct credit_result *r);

/* The GB 32100 check character of the first 17 characters of CODE (which
** must all be of the set), as it should stand at position 18. */
char credit_check_character(const char *code17);

/* The GB 11714 check character of an organisation code's 8 body
** characters (digits or upper-case letters). */
char credit_org_check_character(const char *body8);

#endif
