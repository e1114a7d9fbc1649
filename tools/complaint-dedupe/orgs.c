/*
 * Data for masking institution and platform names (mask.c, SLOT_ORG):
 * the words that end such a name, the cues around one, the characters
 * and generic words that are not one, and a lexicon of widely used
 * lending products whose names carry no institution word.  The lists
 * follow how complaint letters to the 银保监会/金融监管总局 and to
 * lenders name the other party; they hold no name from the samples or
 * the benchmark generator.
 */
#include "config.h"

#include <stddef.h>

#include "cd.h"

/* Institution words that end a name and belong to it, longest forms listed. */
const char *const org_suffix[] = {
	"银行", "农商银行", "农村商业银行", "商业银行", "农商行", "村镇银行",
	"信用社", "信用合作联社", "农信社", "支行", "分行",
	"人寿", "财险", "寿险", "人寿保险", "财产保险", "保险公司",
	"金融", "消费金融", "金融服务", "金服", "数科", "普惠", "小贷",
	"小额贷款", "网络小贷", "融资担保", "担保", "信托", "证券", "基金",
	"支付", "网贷", "借贷", "金控", "资产管理", "公司", "有限公司",
	"集团", "科技", "信息技术", NULL
};

/* After a name, not part of it: the party addressed. */
const char *const org_rcue[] = {
	"客户服务中心", "客服中心", "客服热线", "客服电话", "客服", "平台",
	"app", "软件", "官方", "信用卡中心", "贷款部", NULL
};

/*
 * Before a name, not part of it: verbs whose object is the lender.  在,
 * 向 and 从 count only before one of org_weak (在X借款), since places and
 * people follow them too.
 */
const char *const org_lcue[] = {
	"通过", "使用", "致", "尊敬的", "投诉", "举报", "起诉", "关于", "针对",
	"下载了", "下载", "注册了", "注册", "在", "向", "从", NULL
};

/* After a left cue and a name, the clause goes on with these (or ：，). */
const char *const org_weak[] = {
	"办理", "借款", "贷款", "借了", "贷了", "申请", "购买", "投保",
	"分期", "借钱", "上借", "上贷", "上申请", NULL
};

/* Names that are words, not institutions. */
const char *const org_generic[] = {
	"借款", "贷款", "网贷", "网络", "网上", "线上", "线下", "手机", "金融",
	"互联网", "第三方", "投资", "理财", "相关", "其他", "正规", "合法",
	"非法", "违规", "商业", "股份", "保险", "人寿", "财产", "消费", "小额",
	"借贷", "信贷", "催收", "客服", "服务", "管理", "监管", "上述", "涉事",
	"涉案", "这家", "那家", "两家", "多家", "各家", "国有", "民营", "外资",
	"发卡", "放款", "合作", "资金", "存管", "融资", "支付", "出借", "平台",
	"柜台", "网点", "营业厅", "官网", "银行", "公司", "保险公司", "机构",
	"金融机构", "贷款机构", "我们", "你们", "他们", "对方", "各位", "领导",
	"有关部门", "相关部门", "贵司", "本人", "家人", "亲友", "敬礼", "国家",
	"收款", "付款", "还款", "扣款", "储蓄", "借记", "信用", "工资", "个人",
	"人民", "商业", "地方", "地方金融", "国家金融", "中央", "中心", "领导", NULL
};

/*
 * Characters a name does not start after: function words around names.
 * Those not in org_hard may be a name's second character (泰和, 佳和).
 */
const char org_hard[] =
    "的了在是向从于对把被将给让请我你他她它们这那该贵此本其之也都就要又还并"
    "而但或以个每各致过用年月日号期笔次元";
const char org_stop[] =
    "的在于因从向是已曾为和与及被对给将把让贵该此本某等到至去找跟同请由经"
    "其我你他她它们了着也都就要又还并而但或以之个这那每各致过用年月日号期笔次元"
    "比下";

/* Products and platforms known by a name without an institution word. */
const char *const org_known[] = {
	"借呗", "花呗", "蚂蚁借呗", "蚂蚁花呗", "微粒贷", "京东白条", "京东金条",
	"白条", "金条", "360借条", "借条", "度小满", "有钱花", "满易贷",
	"安逸花", "招联好期贷", "好期贷", "分期乐", "乐信", "拍拍贷", "宜人贷",
	"宜人金科", "你我贷", "人人贷", "陆金所", "平安普惠", "美团借钱",
	"美团月付", "美团生活费", "抖音月付", "放心借", "省呗", "还呗", "小赢卡贷",
	"玖富万卡", "洋钱罐", "马上消费", "中银消费", "捷信", "宜信",
	"来分期", "趣店", "桔子分期", "买单吧", "发薪日", NULL
};
