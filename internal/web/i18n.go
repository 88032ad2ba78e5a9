package web

import (
	"net/http"
	"strings"
)

// messages holds the console's strings in English and Chinese.
var messages = map[string]map[string]string{
	"en": {
		"app": "shequn", "overview": "Overview", "communities": "Communities", "members": "Members", "logout": "Log out",
		"login": "Log in", "email": "Email", "password": "Password", "login_title": "Log in to shequn",
		"login_failed": "Wrong email or password.", "login_limited": "Too many failed logins. Try again in {seconds} seconds.",
		"internal_error": "Something went wrong on our side; it has been logged.", "error": "Error",
		"err_invalid": "Please check what was entered:", "err_not_found": "Not found:", "err_forbidden": "Not allowed:",
		"err_conflict": "Conflict:", "err_too_large": "Too large:", "err_too_many_requests": "Too many requests:", "err_unauthorized": "Please log in:", "messages_per_day": "Messages per day", "active_per_day": "Active members per day",
		"joins_leaves": "Joins vs leaves", "top_communities": "Top communities (30 days)", "messages": "Messages",
		"active_members": "Active members", "joins": "Joins", "leaves": "Leaves", "events": "Events", "name": "Name",
		"platform": "Platform", "last_activity": "Last activity", "members_count": "Members", "search": "Search by name or id…",
		"all_platforms": "All platforms", "all_communities": "All communities", "sort": "Sort", "sort_recent": "Newest",
		"sort_messages": "Most messages", "sort_active": "Recently active", "sort_name": "Name", "active_days": "Active days",
		"last_active": "Last active", "identities": "Identities", "memberships": "Memberships", "timeline": "Timeline",
		"status": "Status", "joined": "Joined", "left": "Left", "invited_by": "Invited by", "source": "Source",
		"role": "Role", "community": "Community", "kind": "Kind", "stage": "Stage", "recent_events": "Recent events",
		"last_30_days": "last 30 days", "total": "total", "no_data": "No data yet.", "prev": "Previous", "next": "Next",
		"invited": "Invited", "external_id": "External id", "ago": "ago", "language": "中文", "member": "Member",
		"communities_in": "Communities", "time": "Time", "text": "Text", "not_found": "Not found", "lurkers_hint": "Members with no message in 30 days are lurkers (潜水).",
		"settings": "Settings", "saved": "saved", "save": "Save", "structure": "Structure", "capacity": "Capacity (0 = none)",
		"theme": "Theme", "tags": "Tags (comma separated)", "rules": "Group rules", "benchmark": "Benchmark group (标杆社群)",
		"read_only":     "Viewers can read but not change settings.",
		"kind_prospect": "Prospects", "kind_customer": "Customers", "kind_core": "Core users", "kind_support": "Support",
		"kind_interest": "Interest", "kind_local": "Local chapter",
		"stage_new": "New", "stage_growing": "Growing", "stage_mature": "Mature", "stage_declining": "Declining", "stage_archived": "Archived",
		"structure_ring": "Ring", "structure_pyramid": "Pyramid",
		"mod_rules": "Rules", "outbox": "Outbox", "attempts": "Attempts",
		"outbox_help": "Every action shequn takes on a platform (replies, deletions, bans…) waits here until its connector performs it; without a connector the log connector records it.", "segment_name": "Segment name", "save_segment": "Save as segment", "earning_rule": "What earns points",
		"per_message": "Per message", "per_reply": "Per reply", "daily_cap": "Daily cap", "min_length": "Minimum length",
		"badge_first_words": "First words", "badge_active_7": "Active 7 days", "badge_chatty_100": "100 messages", "badge_inviter_5": "Brought 5 who stayed",
		"badge_core": "Core member", "badge_veteran_180": "Half a year here", "points_nav": "Points", "leaderboards": "Leaderboards", "rewards": "Rewards", "month": "Month", "week": "Week",
		"whole_workspace": "Whole workspace", "cost": "Cost", "stock": "Stock", "per_member": "Per member", "reward_virtual": "virtual",
		"reward_physical": "physical", "add_reward": "Add a reward", "redemptions": "Redemptions", "reward": "Reward", "delivery": "Delivery",
		"redemption_pending": "pending", "redemption_fulfilled": "fulfilled", "redemption_cancelled": "cancelled", "fulfil": "Fulfil",
		"cancel_refund": "Cancel & refund", "level": "Level", "all_tiers": "All tiers", "tier": "Tier", "tier_core": "core", "tier_active": "active", "tier_regular": "regular",
		"tier_newcomer": "newcomer", "tier_lurker": "lurker", "tier_dormant": "dormant", "tier_churned": "churned", "points_balance": "Points",
		"why_tier": "Why this tier", "since": "since", "lifecycle": "Lifecycle", "criterion": "Criterion", "wanted": "Wanted", "has": "Has",
		"life_joined": "joined", "life_activated": "activated", "life_retained": "retained", "life_dormant": "dormant",
		"life_reactivated": "reactivated", "life_churned": "churned", "points_history": "Points history", "override_for": "Override for the group", "workspace_rule": "workspace rule", "workspace_rule_help": "The workspace rule applies to every group without its own override (open a group's page to give it one).", "moderation": "Moderation", "review_queue": "Review queue", "moderation_log": "Log", "blocklist": "Blocklist", "test_message": "Test a message",
		"all_statuses": "All statuses", "all_reasons": "All reasons", "all_detectors": "All detectors", "filter": "Filter",
		"case_open": "open", "case_approved": "approved", "case_overturned": "overturned",
		"reason_detector": "detected", "reason_report": "reported", "reason_blocklist": "blocklisted",
		"action_flag": "flag only", "action_delete": "delete", "action_warn": "delete and warn", "action_mute": "delete and mute",
		"action_kick": "delete and kick", "action_ban": "delete and ban", "action_blocklist": "ban from every group (blocklist)",
		"det_keyword": "keywords", "det_regex": "regular expressions", "det_link": "links", "det_contact": "phone / WeChat / QQ ids",
		"det_lookalike": "look-alike letters", "det_qrcode": "QR codes", "det_flood": "flooding", "det_duplicate": "same text in several groups",
		"det_newcomer": "links from newcomers", "det_classifier": "trained classifier", "det_blocklist": "blocklist", "det_report": "report",
		"why": "Why", "action": "Action", "approve": "Approve", "overturn": "Overturn", "queue_empty": "Nothing to review.", "reason": "Reason",
		"unblock": "Remove", "test_placeholder": "Paste a message, e.g. 加 微 信 abc123 领取福利", "check": "Check",
		"is_spam": "Spam", "not_spam": "Not spam", "detector": "Detector", "spam": "Spam", "score": "Score", "span": "Matched",
		"spam_action": "What to do with spam", "warn_limit": "Warnings before a kick", "classifier_threshold": "Classifier threshold",
		"detectors": "Detectors", "exempt_roles": "Never moderate", "flood": "Flooding:", "messages_in_seconds": "messages within seconds",
		"duplicate": "Same text in", "groups_in_minutes": "groups within minutes", "newcomer_hours": "Newcomer window (hours)",
		"keywords_help": "Keywords, one a line, optionally text|weight (spam when weights reach 1)", "regexes_help": "Regular expressions, one a line",
		"deny_domains": "Denied domains", "allow_domains": "Allowed domains", "allow_members": "Members never moderated (member ids, one a line)",
	},
	"zh": {
		"app": "社群", "overview": "总览", "communities": "社群", "members": "成员", "logout": "退出",
		"login": "登录", "email": "邮箱", "password": "密码", "login_title": "登录 shequn 社群运营平台",
		"login_failed": "邮箱或密码错误。", "login_limited": "登录失败次数过多，请 {seconds} 秒后再试。",
		"internal_error": "系统出错，已记录。", "error": "出错了",
		"err_invalid": "请检查填写的内容：", "err_not_found": "未找到：", "err_forbidden": "没有权限：",
		"err_conflict": "冲突：", "err_too_large": "内容过大：", "err_too_many_requests": "请求过于频繁：", "err_unauthorized": "请先登录：", "messages_per_day": "每日消息数", "active_per_day": "每日活跃成员",
		"joins_leaves": "入群与退群", "top_communities": "最活跃社群（近30天）", "messages": "消息",
		"active_members": "活跃成员", "joins": "入群", "leaves": "退群", "events": "事件", "name": "名称",
		"platform": "平台", "last_activity": "最近活动", "members_count": "成员数", "search": "按名称或 ID 搜索…",
		"all_platforms": "全部平台", "all_communities": "全部社群", "sort": "排序", "sort_recent": "最新加入",
		"sort_messages": "消息最多", "sort_active": "最近活跃", "sort_name": "名称", "active_days": "活跃天数",
		"last_active": "最近活跃", "identities": "身份", "memberships": "所在社群", "timeline": "动态",
		"status": "状态", "joined": "入群时间", "left": "退群时间", "invited_by": "邀请人", "source": "来源",
		"role": "角色", "community": "社群", "kind": "类型", "stage": "阶段", "recent_events": "最近事件",
		"last_30_days": "近30天", "total": "共", "no_data": "暂无数据。", "prev": "上一页", "next": "下一页",
		"invited": "邀请人数", "external_id": "平台 ID", "ago": "前", "language": "English", "member": "成员",
		"communities_in": "社群", "time": "时间", "text": "内容", "not_found": "未找到", "lurkers_hint": "30天内没有发言的成员为潜水成员。",
		"settings": "设置", "saved": "已保存", "save": "保存", "structure": "结构", "capacity": "人数上限（0 为不限）",
		"theme": "主题", "tags": "标签（逗号分隔）", "rules": "群规", "benchmark": "标杆社群",
		"read_only":     "只读成员可以查看但不能修改设置。",
		"kind_prospect": "潜在用户", "kind_customer": "老用户", "kind_core": "核心用户", "kind_support": "答疑",
		"kind_interest": "兴趣", "kind_local": "同城分会",
		"stage_new": "新建", "stage_growing": "成长", "stage_mature": "成熟", "stage_declining": "衰退", "stage_archived": "归档",
		"structure_ring": "环形", "structure_pyramid": "金字塔",
		"mod_rules": "规则", "outbox": "待发送动作", "attempts": "尝试次数",
		"outbox_help": "shequn 在各平台上的每个动作（回复、删除、封禁……）都在这里排队，由对应连接器执行；没有连接器时由日志连接器记录。", "segment_name": "分群名称", "save_segment": "保存为分群", "earning_rule": "积分规则",
		"per_message": "每条消息", "per_reply": "每条回复", "daily_cap": "每日上限", "min_length": "最短字数",
		"badge_first_words": "初次发言", "badge_active_7": "活跃七天", "badge_chatty_100": "百条发言", "badge_inviter_5": "邀请达人",
		"badge_core": "核心成员", "badge_veteran_180": "半年老友", "points_nav": "积分", "leaderboards": "排行榜", "rewards": "奖品", "month": "月", "week": "周",
		"whole_workspace": "整个工作区", "cost": "所需积分", "stock": "库存", "per_member": "每人限兑", "reward_virtual": "虚拟",
		"reward_physical": "实物", "add_reward": "添加奖品", "redemptions": "兑换记录", "reward": "奖品", "delivery": "收货信息",
		"redemption_pending": "待发放", "redemption_fulfilled": "已发放", "redemption_cancelled": "已取消", "fulfil": "发放",
		"cancel_refund": "取消并退还", "level": "等级", "all_tiers": "全部层级", "tier": "层级", "tier_core": "核心", "tier_active": "活跃", "tier_regular": "普通",
		"tier_newcomer": "新人", "tier_lurker": "潜水", "tier_dormant": "沉睡", "tier_churned": "流失", "points_balance": "积分",
		"why_tier": "层级原因", "since": "自", "lifecycle": "生命周期", "criterion": "条件", "wanted": "要求", "has": "实际",
		"life_joined": "已入群", "life_activated": "已激活", "life_retained": "已留存", "life_dormant": "沉睡",
		"life_reactivated": "已召回", "life_churned": "已流失", "points_history": "积分记录", "override_for": "单独规则：", "workspace_rule": "工作区规则", "workspace_rule_help": "工作区规则适用于所有没有单独规则的群（在群页面可以设置单独规则）。", "moderation": "审核", "review_queue": "待审核", "moderation_log": "审核记录", "blocklist": "黑名单", "test_message": "测试消息",
		"all_statuses": "全部状态", "all_reasons": "全部来源", "all_detectors": "全部检测器", "filter": "筛选",
		"case_open": "待审核", "case_approved": "已确认", "case_overturned": "已撤销",
		"reason_detector": "自动检测", "reason_report": "成员举报", "reason_blocklist": "黑名单",
		"action_flag": "仅标记", "action_delete": "删除", "action_warn": "删除并警告", "action_mute": "删除并禁言",
		"action_kick": "删除并踢出", "action_ban": "删除并封禁", "action_blocklist": "移出所有群（拉黑）",
		"det_keyword": "关键词", "det_regex": "正则表达式", "det_link": "链接", "det_contact": "手机号 / 微信 / QQ",
		"det_lookalike": "形近字母", "det_qrcode": "二维码", "det_flood": "刷屏", "det_duplicate": "多群重复消息",
		"det_newcomer": "新人发链接", "det_classifier": "训练的分类器", "det_blocklist": "黑名单", "det_report": "举报",
		"why": "原因", "action": "处理", "approve": "确认", "overturn": "撤销", "queue_empty": "没有待审核的内容。", "reason": "原因",
		"unblock": "移除", "test_placeholder": "粘贴一条消息，例如：加 微 信 abc123 领取福利", "check": "检测",
		"is_spam": "广告", "not_spam": "正常", "detector": "检测器", "spam": "广告", "score": "分数", "span": "命中内容",
		"spam_action": "发现广告时", "warn_limit": "警告几次后踢出", "classifier_threshold": "分类器阈值",
		"detectors": "检测器", "exempt_roles": "不审核的角色", "flood": "刷屏：", "messages_in_seconds": "条消息 / 秒数",
		"duplicate": "同一内容出现在", "groups_in_minutes": "个群 / 分钟内", "newcomer_hours": "新人期（小时）",
		"keywords_help": "关键词，每行一个，可写 文本|权重（权重相加达到 1 即为广告）", "regexes_help": "正则表达式，每行一个",
		"deny_domains": "禁止的域名", "allow_domains": "允许的域名", "allow_members": "白名单成员（成员 ID，每行一个）",
	},
}

// lang picks the console language: ?lang=, the cookie, the operator's
// setting, then the browser's Accept-Language.
func lang(r *http.Request, operatorLang string) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && (c.Value == "en" || c.Value == "zh") {
		return c.Value
	}
	if operatorLang == "en" || operatorLang == "zh" {
		return operatorLang
	}
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Accept-Language")), "zh") {
		return "zh"
	}
	return "en"
}

// translate returns the string for key in l, the English one, or the key.
func translate(l, key string) string {
	if s, ok := messages[l][key]; ok {
		return s
	}
	if s, ok := messages["en"][key]; ok {
		return s
	}
	return key
}
