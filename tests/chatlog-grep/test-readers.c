/*
 * chatlog-grep's export readers: one hand-written example of every
 * layout (written from the published layouts, not copied from real
 * exports), fed whole, byte by byte and in odd chunks, with and without
 * detection; bad input; and, when present, the sample chats checked
 * against samples/truth/chats.json.
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "u8.h"
#include "../unit/tap.h"

struct got {
	char	*time, *sender, *sid, *text;
	size_t	 text_len;
	uint64_t index, line;
};

struct run {
	struct got	*m;
	size_t		 n, cap;
	int		 stop_after;
};

static char *
dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int
collect(const struct chat_msg *cm, void *arg)
{
	struct run	*r = arg;
	struct got	*g;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->m = realloc(r->m, r->cap * sizeof(*r->m));
	}
	g = &r->m[r->n++];
	g->time = dup_or_null(cm->time);
	g->sender = dup_or_null(cm->sender);
	g->sid = dup_or_null(cm->sender_id);
	g->text = malloc(cm->text_len + 1);
	memcpy(g->text, cm->text, cm->text_len);
	g->text[cm->text_len] = '\0';
	g->text_len = cm->text_len;
	g->index = cm->index;
	g->line = cm->line;
	return r->stop_after && (int)r->n >= r->stop_after;
}

static void
run_free(struct run *r)
{
	size_t	 i;

	for (i = 0; i < r->n; i++) {
		free(r->m[i].time);
		free(r->m[i].sender);
		free(r->m[i].sid);
		free(r->m[i].text);
	}
	free(r->m);
	memset(r, 0, sizeof(*r));
}

/* Reads s in chunks of step bytes; returns the count or -1 (err set). */
static long
read_all(enum chat_format f, const char *s, size_t n, size_t step,
    struct run *r, enum chat_format *used, char *err, size_t errlen)
{
	struct chat_reader *cr = chat_reader_new(f, collect, r);
	size_t	 i, k;
	long	 c = -1;

	err[0] = '\0';
	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		if (chat_reader_feed(cr, s + i, k, err, errlen) == -1)
			goto out;
	}
	c = chat_reader_end(cr, err, errlen);
out:
	if (used)
		*used = chat_reader_format(cr);
	chat_reader_free(cr);
	return c;
}

static bool
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

struct want {
	int		 i;
	const char	*time, *sender, *sid, *text;
};

struct kase {
	const char		*name;
	enum chat_format	 fmt;
	const char		*data;
	int			 count;
	struct want		 w[4];
};

/* ---- the fixtures ---- */

static const char qq_txt[] =
    "消息记录（此消息记录为文本格式，不支持重新导入）\r\n"
    "\r\n"
    "================================================================\r\n"
    "消息分组:我的群聊\r\n"
    "================================================================\r\n"
    "消息对象:维权互助群\r\n"
    "================================================================\r\n"
    "\r\n"
    "2026-03-01 9:05:07 陈老师(2854316790)\r\n"
    "大家好\r\n"
    "我们专做停息挂账\r\n"
    "\r\n"
    "2026-03-01 09:06:10 tony<tony.w@qq.com>\r\n"
    "怎么收费\r\n"
    "\r\n"
    "2026-03-01 09:07:00 小 王 (2)(10001)\r\n"
    "\r\n"
    "================================================================\r\n"
    "消息对象:另一个群\r\n"
    "================================================================\r\n"
    "\r\n"
    "2026-03-02 21:00:00 陈老师(2854316790)\r\n"
    "第二个群\r\n";

static const char qq_mht[] =
    "From: <Saved by QQ>\r\n"
    "Subject: QQ Message\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/related;\r\n"
    "\tcharset=\"utf-8\";\r\n"
    "\ttype=\"text/html\";\r\n"
    "\tboundary=\"----=_NextPart_01\"\r\n"
    "\r\n"
    "------=_NextPart_01\r\n"
    "Content-Type: text/html; charset=\"utf-8\"\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "<html><body><table>\r\n"
    "<tr><td><div><b>=E6=B6=88=E6=81=AF=E5=AF=B9=E8=B1=A1:=E7=BE=A4</b></div></td></tr>\r\n"
    "<tr><td><div>=E6=97=A5=E6=9C=9F: 2026-03-01</div></td></tr>\r\n"
    "<tr><td><div style=3Dcolor:#42B475;><div style=3Dfloat:left;>=E9=99=88=\r\n"
    "=E8=80=81=E5=B8=88(2854316790)</div>10:15:32</div><div style=3Dpadding-l=\r\n"
    "eft:20px;><font>=E5=81=9C=E6=81=AF&amp;=E6=8C=82=E8=B4=A6<br>=E7=AC=AC=E4=BA=8C=E8=A1=8C</font></div></td></tr>\r\n"
    "<tr><td><div><div>Amy</div>22:01:02</div><div><font>hi &lt;there&gt;</font></div></td></tr>\r\n"
    "</table></body></html>\r\n"
    "\r\n"
    "------=_NextPart_01\r\n"
    "Content-Type: image/jpeg\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "/9j/4AAQ\r\n"
    "------=_NextPart_01--\r\n";

static const char qq_mht_b64[] =
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/related; boundary=\"B\"\r\n"
    "\r\n"
    "--B\r\n"
    "Content-Type: text/html\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    /* <tr><td><div>日期: 2026-03-02</div></td></tr><tr><td><div><div>
     * 王(1)</div>08:00:00</div><div>早</div></td></tr> */
    "PHRyPjx0ZD48ZGl2PuaXpeacnzogMjAyNi0wMy0wMjwvZGl2PjwvdGQ+PC90cj48dHI+PHRk\r\n"
    "PjxkaXY+PGRpdj7njosoMSk8L2Rpdj4wODowMDowMDwvZGl2PjxkaXY+5pepPC9kaXY+PC90\r\n"
    "ZD48L3RyPg==\r\n"
    "--B--\r\n";

static const char memotrace_txt[] =
    "2026-03-05 20:03:18 李红梅\n"
    "陈老师您好\n"
    "\n"
    "2026-03-05 20:04:38 安岸法务-陈\n"
    "第一行\n"
    "\n"
    "第三行\n"
    "\n"
    "2026-03-05 20:05:37 李红梅\n"
    "对\n";

static const char memotrace_csv_new[] =
    "消息ID,类型,发送人,时间,内容,备注,昵称,更多信息\r\n"
    "1,文本,wxid_a1,2026-03-03 08:31:02,早上好,小安（法务）,小安助理,\r\n"
    "2,文本,wxid_a1,2026-03-03 08:34:53,\"第一步：\r\n"
    "平台名称、\"\"欠款\"\"\r\n"
    "整理好发我\",,小安助理,\r\n"
    "3,系统,,2026-03-03 08:35:00,你撤回了一条消息,,,\r\n";

static const char memotrace_csv_old[] =
    "localId,TalkerId,Type,SubType,IsSender,CreateTime,Status,StrContent,"
    "StrTime,Remark,NickName,Sender\n"
    "3301,57,1,0,0,1772781644,2,你好，保单我看过了,2026-03-06 15:20:44,,法务-王,wxid_w\n"
    "3302,57,1,0,1,1772781794,2,能退多少,,,张国强,wxid_z\n";

static const char pywxdump_csv[] =
    "id,MsgSvrID,type_name,is_sender,talker,room_name,msg,src,CreateTime\n"
    "1,7001,文本,0,wxid_kf,room@chatroom,全额退保,,2026-03-07 10:00:00\n"
    "2,7002,文本,1,wxid_me,room@chatroom,\"两行\n第二行\",,2026-03-07 10:01:00\n";

static const char memotrace_html[] =
    "<!DOCTYPE html><html><head><script>\n"
    "const chatMessages = [\n"
    "  {type: 1, text: '征信修复\\n包过', is_send: 0, timestamp: 1772781644,"
    " display_name: '法务-王', avatar_path: './a.png'},\n"
    "  {type: 1, text: \"it's \\u4f60\\u597d\", is_send: 1, timestamp: 1772781794,"
    " display_name: \"张\", extra: {a: [1, 2, {b: 'x'}]}},\n"
    "  // a comment\n"
    "  {type: 3, text: '', is_send: 0, timestamp: 1772781800, display_name: '法务-王'}\n"
    "];\n"
    "</script></head><body></body></html>\n";

static const char wxexp_txt[] =
    "法务群 - 微信聊天记录\n"
    "\n"
    "阿May (2026-03-07 10:00:01):请问退保能全退吗\n"
    "Kevin (法务) (2026-03-07 10:01:02):可以的\n"
    "第二行\n"
    "系统消息：阿May撤回了一条消息\n";

static const char wxexp_12h[] =
    "阿May (2021-03-07 下午3:15:07):下午好\n"
    "Kevin (2021-03-07 9:01:02 AM):morning\n"
    "Kevin (2021-03-07 12:30:00 AM):midnight\n";

static const char telegram_single[] =
    "{\n \"name\": \"维权群\",\n \"type\": \"private_supergroup\",\n"
    " \"id\": 1,\n \"messages\": [\n"
    "  {\"id\": 1, \"type\": \"service\", \"date\": \"2026-03-08T10:00:00\","
    " \"actor\": \"Kevin\", \"actor_id\": \"user58\", \"action\": \"invite_members\","
    " \"text\": \"\"},\n"
    "  {\"id\": 2, \"type\": \"message\", \"date\": \"2026-03-08T10:03:55\","
    " \"from\": \"阿May\", \"from_id\": \"user61\", \"text\": [\"请问\","
    " {\"type\": \"bold\", \"text\": \"退保\"}, \"能全退吗\\nok\"]},\n"
    "  {\"id\": 3, \"type\": \"message\", \"date\": \"2026-03-08T10:04:00\","
    " \"from\": null, \"from_id\": 77, \"text\": \"tab\\x09here\"}\n"
    " ]\n}\n";

static const char telegram_full[] =
    "{\"about\": \"x\", \"chats\": {\"about\": \"y\", \"list\": [\n"
    " {\"name\": \"a\", \"messages\": [{\"id\": 1, \"type\": \"message\","
    " \"date\": \"2026-01-01T00:00:01\", \"from\": \"A\", \"from_id\": \"user1\","
    " \"text\": \"one\"}]},\n"
    " {\"name\": \"b\", \"messages\": [{\"id\": 1, \"type\": \"message\","
    " \"date\": \"2026-01-02T00:00:02\", \"from\": \"B\", \"from_id\": \"user2\","
    " \"text\": \"two\"}]}\n"
    "]}, \"left_chats\": {\"list\": [{\"name\": \"c\", \"messages\": ["
    "{\"id\": 1, \"type\": \"message\", \"date\": \"2026-01-03T00:00:03\","
    " \"from\": \"C\", \"from_id\": \"user3\", \"text\": \"three\"}]}]}}\n";

static const char wa_ios[] =
    "\xe2\x80\x8e[13/03/2026, 09:58:02] 维权群: \xe2\x80\x8eMessages are end-to-end encrypted.\n"
    "[13/03/2026, 10:00:49] \xe2\x80\xaa+86 138 2641 7359\xe2\x80\xac: 大家好\n"
    "第二行\n"
    "[14/03/2026, 08:28:04] Amy Chen: \xe2\x80\x8eimage omitted\n";

/* Month first is only known from the third line (13 > 12 in second place). */
static const char wa_android_us[] =
    "1/3/26, 10:15 PM - Messages and calls are end-to-end encrypted.\n"
    "1/3/26, 10:16 PM - Bob: first\n"
    "1/13/26, 9:05 AM - Alice: second\n"
    "more\n";

static const char wa_android_eu[] =
    "01/03/2026, 22:15 - Bob: first\n"
    "13/03/2026, 09:05 - Alice: second\n";

static const char wa_dots[] =
    "01.03.26, 22:15 - Bob: Hallo\n"
    "02.03.26, 07:00 - Alice: Guten Morgen\n";

static const char wa_es[] =
    "1/3/26 10:15 p. m. - Bob: hola\n"
    "2/3/26 7:05 a. m. - Alice: buenos días\n";

static const char wa_nnbsp[] =
    "[3/1/26, 10:15:32\xe2\x80\xafPM] Bob: hi\n"
    "[3/14/26, 7:05:00\xe2\x80\xaf" "AM] Alice: yo\n";

static const char wa_zh[] =
    "2026/3/1 下午10:15 - 陈老师: 停息挂账\n"
    "2026/3/2 上午9:05 - 李: 好\n";

static const char wa_ko[] =
    "2026. 3. 1. 오후 10:15 - 민수: 안녕\n"
    "2026. 3. 2. 오전 9:05 - 지영: 네\n";

static const char wa_fr[] =
    "01/03/2026 à 22:15 - Zoé: salut\n"
    "02/03/2026 à 07:05 - Luc: bonjour\n";

static const char line_en[] =
    "[LINE] Chat history with 林老師(法務)\n"
    "Saved on: 2026/03/16 22:10\n"
    "\n"
    "2026.03.14 Saturday\n"
    "10:15\t林老師(法務)\t阿美妳好\n"
    "10:17\t阿美\t\"第一行\n"
    "第二行 \"\"引用\"\"\n"
    "第三行\"\n"
    "10:18\t阿美 joined the group.\n"
    "\n"
    "2026/03/15(日)\n"
    "PM10:20\t林老師(法務)\t晚安\n";

static const char lines_txt[] =
    "just some text\n"
    "\n"
    "2026-03-01 no time here\n"
    "third\n";

static const struct kase kases[] = {
	{ "qq txt", FMT_QQ_TXT, qq_txt, 4, {
	    { 0, "2026-03-01T09:05:07", "陈老师", "2854316790", "大家好\n我们专做停息挂账" },
	    { 1, "2026-03-01T09:06:10", "tony", "tony.w@qq.com", "怎么收费" },
	    { 2, "2026-03-01T09:07:00", "小 王 (2)", "10001", "" },
	    { 3, "2026-03-02T21:00:00", "陈老师", "2854316790", "第二个群" } } },
	{ "qq mht quoted-printable", FMT_QQ_MHT, qq_mht, 2, {
	    { 0, "2026-03-01T10:15:32", "陈老师", "2854316790", "停息&挂账\n第二行" },
	    { 1, "2026-03-01T22:01:02", "Amy", NULL, "hi <there>" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "qq mht base64", FMT_QQ_MHT, qq_mht_b64, 1, {
	    { 0, "2026-03-02T08:00:00", "王", "1", "早" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "memotrace txt", FMT_WECHAT_TXT, memotrace_txt, 3, {
	    { 0, "2026-03-05T20:03:18", "李红梅", NULL, "陈老师您好" },
	    { 1, "2026-03-05T20:04:38", "安岸法务-陈", NULL, "第一行\n\n第三行" },
	    { 2, "2026-03-05T20:05:37", "李红梅", NULL, "对" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "memotrace csv (new header)", FMT_WECHAT_CSV, memotrace_csv_new, 3, {
	    { 0, "2026-03-03T08:31:02", "小安助理", "wxid_a1", "早上好" },
	    { 1, "2026-03-03T08:34:53", "小安助理", "wxid_a1",
	      "第一步：\n平台名称、\"欠款\"\n整理好发我" },
	    { 2, "2026-03-03T08:35:00", NULL, NULL, "你撤回了一条消息" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "memotrace csv (old header)", FMT_WECHAT_CSV, memotrace_csv_old, 2, {
	    { 0, "2026-03-06T15:20:44", "法务-王", "wxid_w", "你好，保单我看过了" },
	    /* no StrTime: CreateTime (epoch seconds, China time) instead */
	    { 1, "2026-03-06T15:23:14", "张国强", "wxid_z", "能退多少" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "pywxdump csv", FMT_PYWXDUMP_CSV, pywxdump_csv, 2, {
	    { 0, "2026-03-07T10:00:00", "wxid_kf", "wxid_kf", "全额退保" },
	    { 1, "2026-03-07T10:01:00", "wxid_me", "wxid_me", "两行\n第二行" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "memotrace html", FMT_WECHAT_HTML, memotrace_html, 3, {
	    /* 1772781644 is 2026-03-06 07:20:44 UTC, 15:20:44 in China */
	    { 0, "2026-03-06T15:20:44", "法务-王", NULL, "征信修复\n包过" },
	    { 1, "2026-03-06T15:23:14", "张", NULL, "it's 你好" },
	    { 2, "2026-03-06T15:23:20", "法务-王", NULL, "" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "wechatexporter txt", FMT_WECHATEXPORTER_TXT, wxexp_txt, 3, {
	    { 0, "2026-03-07T10:00:01", "阿May", NULL, "请问退保能全退吗" },
	    { 1, "2026-03-07T10:01:02", "Kevin (法务)", NULL, "可以的\n第二行" },
	    { 2, NULL, NULL, NULL, "阿May撤回了一条消息" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "wechatexporter txt 12-hour", FMT_WECHATEXPORTER_TXT, wxexp_12h, 3, {
	    { 0, "2021-03-07T15:15:07", "阿May", NULL, "下午好" },
	    { 1, "2021-03-07T09:01:02", "Kevin", NULL, "morning" },
	    { 2, "2021-03-07T00:30:00", "Kevin", NULL, "midnight" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "telegram single chat", FMT_TELEGRAM_JSON, telegram_single, 3, {
	    { 0, "2026-03-08T10:00:00", "Kevin", "user58", "invite_members" },
	    { 1, "2026-03-08T10:03:55", "阿May", "user61", "请问退保能全退吗\nok" },
	    { 2, "2026-03-08T10:04:00", NULL, "77", "tab\there" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "telegram full export", FMT_TELEGRAM_JSON, telegram_full, 3, {
	    { 0, "2026-01-01T00:00:01", "A", "user1", "one" },
	    { 1, "2026-01-02T00:00:02", "B", "user2", "two" },
	    { 2, "2026-01-03T00:00:03", "C", "user3", "three" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "whatsapp ios", FMT_WHATSAPP_TXT, wa_ios, 3, {
	    { 0, "2026-03-13T09:58:02", "维权群", NULL, "Messages are end-to-end encrypted." },
	    { 1, "2026-03-13T10:00:49", "+86 138 2641 7359", NULL, "大家好\n第二行" },
	    { 2, "2026-03-14T08:28:04", "Amy Chen", NULL, "image omitted" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "whatsapp android month first", FMT_WHATSAPP_TXT, wa_android_us, 3, {
	    { 0, "2026-01-03T22:15:00", NULL, NULL, "Messages and calls are end-to-end encrypted." },
	    { 1, "2026-01-03T22:16:00", "Bob", NULL, "first" },
	    { 2, "2026-01-13T09:05:00", "Alice", NULL, "second\nmore" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "whatsapp android day first", FMT_WHATSAPP_TXT, wa_android_eu, 2, {
	    { 0, "2026-03-01T22:15:00", "Bob", NULL, "first" },
	    { 1, "2026-03-13T09:05:00", "Alice", NULL, "second" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "whatsapp dots", FMT_WHATSAPP_TXT, wa_dots, 2, {
	    { 0, "2026-03-01T22:15:00", "Bob", NULL, "Hallo" },
	    { 1, "2026-03-02T07:00:00", "Alice", NULL, "Guten Morgen" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "whatsapp spanish p. m.", FMT_WHATSAPP_TXT, wa_es, 2, {
	    /* nothing above 12: "p. m." is Spanish, so day first */
	    { 0, "2026-03-01T22:15:00", "Bob", NULL, "hola" },
	    { 1, "2026-03-02T07:05:00", "Alice", NULL, "buenos días" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "whatsapp narrow nbsp", FMT_WHATSAPP_TXT, wa_nnbsp, 2, {
	    { 0, "2026-03-01T22:15:32", "Bob", NULL, "hi" },
	    { 1, "2026-03-14T07:05:00", "Alice", NULL, "yo" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "whatsapp chinese", FMT_WHATSAPP_TXT, wa_zh, 2, {
	    { 0, "2026-03-01T22:15:00", "陈老师", NULL, "停息挂账" },
	    { 1, "2026-03-02T09:05:00", "李", NULL, "好" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "whatsapp korean", FMT_WHATSAPP_TXT, wa_ko, 2, {
	    { 0, "2026-03-01T22:15:00", "민수", NULL, "안녕" },
	    { 1, "2026-03-02T09:05:00", "지영", NULL, "네" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "whatsapp french", FMT_WHATSAPP_TXT, wa_fr, 2, {
	    { 0, "2026-03-01T22:15:00", "Zoé", NULL, "salut" },
	    { 1, "2026-03-02T07:05:00", "Luc", NULL, "bonjour" },
	    { -1, NULL, NULL, NULL, NULL } } },
	{ "line txt", FMT_LINE_TXT, line_en, 4, {
	    { 0, "2026-03-14T10:15:00", "林老師(法務)", NULL, "阿美妳好" },
	    { 1, "2026-03-14T10:17:00", "阿美", NULL, "第一行\n第二行 \"引用\"\n第三行" },
	    { 2, "2026-03-14T10:18:00", NULL, NULL, "阿美 joined the group." },
	    { 3, "2026-03-15T22:20:00", "林老師(法務)", NULL, "晚安" } } },
	{ "plain lines", FMT_LINES, lines_txt, 3, {
	    { 0, NULL, NULL, NULL, "just some text" },
	    { 2, NULL, NULL, NULL, "2026-03-01 no time here" },
	    { 3, NULL, NULL, NULL, "third" },
	    { -1, NULL, NULL, NULL, NULL } } },
};

/* Compares one run with the case; returns the number of differences. */
static int
compare(const struct kase *k, const struct run *r, long count, char *why,
    size_t wlen)
{
	const struct got *g;
	size_t	 j;
	int	 w;

	if (count != k->count || (long)r->n != count) {
		snprintf(why, wlen, "count %ld (%zu delivered), want %d", count,
		    r->n, k->count);
		return 1;
	}
	for (w = 0; w < 4 && k->w[w].text; w++) {
		for (j = 0; j < r->n && r->m[j].index != (uint64_t)k->w[w].i; j++)
			;
		if (j == r->n) {
			snprintf(why, wlen, "no message %d", k->w[w].i);
			return 1;
		}
		g = &r->m[j];
		if (!same(g->time, k->w[w].time) || !same(g->sender, k->w[w].sender) ||
		    !same(g->sid, k->w[w].sid) || !same(g->text, k->w[w].text)) {
			snprintf(why, wlen, "message %d: [%s] <%s> {%s} '%s'",
			    k->w[w].i, g->time ? g->time : "-",
			    g->sender ? g->sender : "-", g->sid ? g->sid : "-",
			    g->text);
			return 1;
		}
	}
	return 0;
}

static void
test_case(const struct kase *k)
{
	static const size_t steps[] = { (size_t)1 << 30, 1, 2, 3, 7, 64, 1000 };
	struct run	 r = { 0 };
	enum chat_format used;
	char		 err[256], why[512];
	size_t		 n = strlen(k->data), s;
	long		 c;
	int		 bad = 0;

	for (s = 0; s < sizeof(steps) / sizeof(steps[0]) && !bad; s++) {
		c = read_all(k->fmt, k->data, n, steps[s], &r, NULL, err, sizeof(err));
		bad = compare(k, &r, c, why, sizeof(why));
		if (c < 0)
			snprintf(why, sizeof(why), "error: %s", err);
		run_free(&r);
	}
	ok(!bad, "%s: %d messages, fields right in every chunking%s%s",
	    k->name, k->count, bad ? " -- " : "", bad ? why : "");
	c = read_all(FMT_AUTO, k->data, n, 5, &r, &used, err, sizeof(err));
	bad = compare(k, &r, c, why, sizeof(why));
	ok(used == k->fmt && !bad, "%s: detected as %s%s%s", k->name,
	    chat_format_name(used), bad ? " -- " : "", bad ? why : "");
	run_free(&r);
}

static void
test_names(void)
{
	int	 f, bad = 0;

	for (f = 0; f < FMT_COUNT; f++)
		if ((int)chat_format_parse(chat_format_name((enum chat_format)f)) != f)
			bad++;
	ok(bad == 0 && chat_format_parse("nonsense") == FMT_COUNT,
	    "format names round-trip, unknown names refused");
}

static void
test_bad_input(void)
{
	static const char bad_json[] = "{\"messages\": [{\"text\": \"a\\qb\"}]}";
	static const char trunc_json[] = "{\"messages\": [{\"text\": \"ab";
	static const char nul_text[] = "2026-03-01 10:00:00 A(1)\nx\0y\n";
	struct run	 r = { 0 };
	char		 err[256], *big;
	size_t		 n = ((size_t)17 << 20), i;
	long		 c;

	c = read_all(FMT_AUTO, bad_json, strlen(bad_json), 4096, &r, NULL,
	    err, sizeof(err));
	ok(c == -1 && strstr(err, "telegram json") != NULL,
	    "a JSON export with a bad escape is an error: %s", err);
	run_free(&r);
	c = read_all(FMT_TELEGRAM_JSON, trunc_json, strlen(trunc_json), 4096,
	    &r, NULL, err, sizeof(err));
	ok(c == -1, "a truncated JSON export is an error: %s", err);
	run_free(&r);
	c = read_all(FMT_QQ_TXT, nul_text, sizeof(nul_text) - 1, 3, &r, NULL,
	    err, sizeof(err));
	ok(c == 1 && r.n == 1 && r.m[0].text_len == 3 &&
	    memcmp(r.m[0].text, "x\0y", 3) == 0, "a NUL byte stays inside its message");
	run_free(&r);

	/* One 17 MiB line: refused with a reason, not swallowed. */
	big = malloc(n);
	for (i = 0; i < n; i++)
		big[i] = 'a';
	c = read_all(FMT_AUTO, big, n, (size_t)1 << 20, &r, NULL, err, sizeof(err));
	ok(c == -1 && strstr(err, "16 MiB") != NULL,
	    "a line longer than 16 MiB is an error: %s", err);
	run_free(&r);
	c = read_all(FMT_AUTO, big, n, n, &r, NULL, err, sizeof(err));
	ok(c == -1 && strstr(err, "16 MiB") != NULL,
	    "the same fed in one piece: %s", err);
	run_free(&r);
	memcpy(big, "2026-03-01 10:00:00 A(1)\n", 25);
	c = read_all(FMT_QQ_TXT, big, n, (size_t)1 << 20, &r, NULL, err,
	    sizeof(err));
	ok(c == -1 && strstr(err, "16 MiB") != NULL,
	    "a message longer than 16 MiB is an error: %s", err);
	run_free(&r);
	free(big);

	r.stop_after = 2;
	c = read_all(FMT_QQ_TXT, qq_txt, strlen(qq_txt), 1, &r, NULL, err,
	    sizeof(err));
	ok(r.n == 2, "the callback stops the reader (%zu delivered)", r.n);
	run_free(&r);
	ok(chat_detect("", 0) == FMT_LINES &&
	    chat_detect("hello\nworld\n", 12) == FMT_LINES &&
	    chat_detect("{\"a\": 1}", 8) == FMT_LINES &&
	    chat_detect("{\"messages\": 51}", 16) == FMT_LINES,
	    "unknown text falls back to lines");
}

/* ---- cutting an export for parallel reading (chat_cut) ---- */

/* Reads s in the pieces that cuts[0..ncut) make, renumbering as the caller must. */
static long
read_pieces(enum chat_format f, const char *s, size_t n, const size_t *cuts,
    size_t ncut, struct run *r)
{
	struct chat_reader *cr;
	size_t	 p, from, to, before, i, lines = 0;
	char	 err[256];

	for (p = 0; p <= ncut; p++) {
		from = p == 0 ? 0 : cuts[p - 1];
		to = p == ncut ? n : cuts[p];
		before = r->n;
		cr = chat_reader_new(f, collect, r);
		chat_reader_set_line(cr, lines);
		if (chat_reader_feed(cr, s + from, to - from, err, sizeof(err)) == -1 ||
		    chat_reader_end(cr, err, sizeof(err)) < 0) {
			chat_reader_free(cr);
			return -1;
		}
		chat_reader_free(cr);
		for (i = before; i < r->n; i++)
			r->m[i].index += before;
		for (i = from; i < to; i++)
			lines += s[i] == '\n';
	}
	return (long)r->n;
}

static int
same_runs(const struct run *a, const struct run *b)
{
	size_t	 i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->m[i].index != b->m[i].index || a->m[i].line != b->m[i].line ||
		    !same(a->m[i].time, b->m[i].time) ||
		    !same(a->m[i].sender, b->m[i].sender) ||
		    !same(a->m[i].sid, b->m[i].sid) ||
		    a->m[i].text_len != b->m[i].text_len ||
		    memcmp(a->m[i].text, b->m[i].text, a->m[i].text_len) != 0)
			return 0;
	return 1;
}

/*
 * Every place chat_cut offers, over every prefix, starts a header line;
 * reading the pieces (all cuts at once, and each cut alone) gives the
 * messages of the whole read, with the same indices and line numbers.
 */
static void
test_cut(const char *name, enum chat_format f, const char *s, size_t n)
{
	struct run	 whole = { 0 }, r = { 0 };
	size_t		*cuts = calloc(n + 1, sizeof(*cuts)), ncut = 0, len, k, i;
	char		 err[256];
	int		 bad = 0;

	if (read_all(f, s, n, n + 1, &whole, NULL, err, sizeof(err)) < 0)
		bad++;
	for (len = 1; len <= n; len++) {
		k = chat_cut(f, s, len);
		if (k >= len || (k > 0 && s[k - 1] != '\n'))
			bad++;
		if (k > 0 && (ncut == 0 || k > cuts[ncut - 1]))
			cuts[ncut++] = k;
	}
	if (read_pieces(f, s, n, cuts, ncut, &r) < 0 || !same_runs(&whole, &r))
		bad++;
	run_free(&r);
	for (i = 0; i < ncut; i++) {
		if (read_pieces(f, s, n, cuts + i, 1, &r) < 0 || !same_runs(&whole, &r))
			bad++;
		run_free(&r);
	}
	ok(ncut > 0 && bad == 0, "%s: %zu places to cut, pieces read as the whole",
	    name, ncut);
	run_free(&whole);
	free(cuts);
}

static char	*slurp(const char *, size_t *);

static void
test_cuts(void)
{
	static const char wx[] =
	    "2026-03-05 20:03:18 李红梅\n"
	    "2026-03-05 20:03:19 李红梅\n"
	    "2026-03-05 20:04:38 安岸法务-陈\r\n"
	    "2026-03-05 20:04:39 陈 律师\n"
	    "第一行\n\n\n"
	    "2026-03-05 20:05:37 李红梅\n"
	    "2026-03-05 20:05:38 无\n";
	const char	*top = getenv("top_srcdir");
	char		 path[4200], *u;
	size_t		 n;
	int		 f, bad = 0;

	for (f = 0; f < FMT_COUNT; f++)
		if (chat_can_cut((enum chat_format)f) !=
		    (f == FMT_QQ_TXT || f == FMT_WECHAT_TXT) ||
		    (!chat_can_cut((enum chat_format)f) &&
		    chat_cut((enum chat_format)f, qq_txt, strlen(qq_txt)) != 0))
			bad++;
	ok(bad == 0, "only QQ and MemoTrace txt are cut for parallel reading");
	test_cut("qq txt cut", FMT_QQ_TXT, qq_txt, strlen(qq_txt));
	test_cut("memotrace txt cut", FMT_WECHAT_TXT, memotrace_txt,
	    strlen(memotrace_txt));
	test_cut("memotrace txt cut, empty texts and CR", FMT_WECHAT_TXT, wx,
	    strlen(wx));
	snprintf(path, sizeof(path), "%s/samples/chats/qq_group.txt",
	    top ? top : ".");
	if ((u = slurp(path, &n)) != NULL) {
		test_cut("sample qq_group.txt cut", FMT_QQ_TXT, u, n);
		free(u);
	}
	snprintf(path, sizeof(path), "%s/samples/chats/wechat_memotrace.txt",
	    top ? top : ".");
	if ((u = slurp(path, &n)) != NULL) {
		test_cut("sample wechat_memotrace.txt cut", FMT_WECHAT_TXT, u, n);
		free(u);
	}
}

/* ---- the sample chats, checked against samples/truth/chats.json ---- */

static char *
slurp(const char *path, size_t *n)
{
	FILE	*f;
	char	*buf, *u;
	long	 len;
	bool	 lossy;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len + 1);
	if (fread(buf, 1, (size_t)len, f) != (size_t)len)
		len = 0;
	fclose(f);
	u = u8_decode(buf, (size_t)len, n, NULL, &lossy);
	free(buf);
	return u;
}

/* The truth keeps QQ ids in their brackets and WhatsApp's bidi marks. */
static void
normalise(const char *in, char *out, size_t outlen, bool id)
{
	size_t	 o = 0, i = 0, n = strlen(in);

	for (; i < n && o + 1 < outlen; i++) {
		if (i + 2 < n && (unsigned char)in[i] == 0xe2 &&
		    (unsigned char)in[i + 1] == 0x80 &&
		    ((unsigned char)in[i + 2] == 0xaa || (unsigned char)in[i + 2] == 0xac ||
		    (unsigned char)in[i + 2] == 0x8e)) {
			i += 2;
			continue;
		}
		if (id && (i == 0 || i == n - 1) && strchr("()<>", in[i]))
			continue;
		out[o++] = in[i];
	}
	out[o] = '\0';
}

static int
check_truth_msg(const struct run *r, json_t *h, bool has_ids)
{
	json_t		*idx = json_object_get(h, "index");
	const struct got *g;
	const char	*v;
	char		 want[512];

	if (!json_is_integer(idx) || (size_t)json_integer_value(idx) >= r->n)
		return 1;
	g = &r->m[json_integer_value(idx)];
	if (!same(g->time, json_string_value(json_object_get(h, "time"))) ||
	    !same(g->text, json_string_value(json_object_get(h, "text"))))
		return 1;
	normalise((v = json_string_value(json_object_get(h, "sender"))) ? v : "",
	    want, sizeof(want), false);
	if (!same(g->sender ? g->sender : "", want))
		return 1;
	v = json_string_value(json_object_get(h, "sender_id"));
	if (has_ids && v && *v) {
		normalise(v, want, sizeof(want), true);
		if (!same(g->sid, want))
			return 1;
	}
	return 0;
}

static void
test_sample(const char *dir, json_t *file)
{
	const char	*name = json_string_value(json_object_get(file, "file"));
	const char	*fmt = json_string_value(json_object_get(file, "format"));
	json_int_t	 want = json_integer_value(json_object_get(file, "messages"));
	json_t		*list, *h;
	struct run	 r = { 0 };
	char		 path[8192], err[256];
	size_t		 n, i;
	long		 c;
	int		 bad = 0, nh = 0;
	char		*u;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((u = slurp(path, &n)) == NULL) {
		ok(0, "sample %s: cannot read", name);
		return;
	}
	c = read_all(FMT_AUTO, u, n, 4093, &r, NULL, err, sizeof(err));
	free(u);
	for (const char *k = "hits"; k; k = strcmp(k, "hits") ? NULL : "decoys") {
		list = json_object_get(file, k);
		json_array_foreach(list, i, h) {
			nh++;
			bad += check_truth_msg(&r, h, strstr(fmt, "memotrace-txt") == NULL);
		}
	}
	ok(c == want && bad == 0, "sample %s (%s): %ld of %lld messages, %d of %d "
	    "checked messages right", name, fmt, c, (long long)want, nh - bad, nh);
	run_free(&r);
}

static void
test_samples(void)
{
	const char	*top = getenv("top_srcdir");
	char		 dir[4096], path[4200];
	json_error_t	 je;
	json_t		*truth, *file;
	size_t		 i;

	snprintf(dir, sizeof(dir), "%s/samples/chats", top ? top : ".");
	snprintf(path, sizeof(path), "%s/../truth/chats.json", dir);
	if ((truth = json_load_file(path, 0, &je)) == NULL) {
		printf("# no %s: sample checks skipped\n", path);
		return;
	}
	json_array_foreach(json_object_get(truth, "files"), i, file)
		test_sample(dir, file);
	json_decref(truth);
}

int
main(void)
{
	size_t	 i;

	test_names();
	for (i = 0; i < sizeof(kases) / sizeof(kases[0]); i++)
		test_case(&kases[i]);
	test_bad_input();
	test_samples();
	test_cuts();
	return tap_done();
}
