package web

// aliveMessages are the strings of the keep-alive pages: calendar,
// automations, check-ins, questions, alerts, broadcasts, welcome.
var aliveMessages = map[string]map[string]string{
	"en": {
		"engage": "Engage", "calendar": "Calendar", "automations": "Automations", "challenges": "Check-ins", "questions": "Questions",
		"alerts": "Alerts", "broadcasts": "Broadcasts", "welcome": "Welcome",
		"calendar_help": "Everything scheduled for the next 7 days across all groups, in each group's time zone, after quiet hours.",
		"sends":         "sends", "due": "Goes out", "scheduled_for": "Scheduled", "automation": "Automation", "step": "Step", "more_items": "more",
		"new_sop": "New SOP template", "new_rule": "New rule", "kind": "Kind", "sop": "SOP template", "rule": "Rule", "enabled": "Enabled",
		"selector": "Groups", "selector_help": "Empty fields select every group; kinds, tags and platforms are comma-separated.",
		"kinds": "Kinds", "tags": "Tags", "platforms": "Platforms", "community_ids": "Group ids", "quiet_hours": "Quiet hours",
		"steps": "Steps", "cron": "Schedule (cron)", "cron_help": "minute hour day month weekday, e.g. 0 8 * * 1-5 = weekdays 08:00, in each group's time zone",
		"text": "Text", "variables_help": "Variables: {name} {group} {rules} {date} {weekday} {inviter}, and your own below.",
		"vars": "Variables", "vars_help": "One per line: key=value for every group, or 12:key=value for group 12.",
		"trigger": "Trigger", "keywords": "Keywords", "hours": "Hours", "days": "Days", "actions": "Actions", "tag": "Tag", "points": "Points",
		"conditions": "Member tiers", "save": "Save", "delete": "Delete", "edit": "Edit", "saved": "Saved",
		"trigger_schedule": "On a schedule", "trigger_join": "A member joins", "trigger_keyword": "A keyword is said",
		"trigger_first_message": "A member's first message", "trigger_silence": "A busy group goes quiet", "trigger_unanswered": "A question goes unanswered",
		"trigger_dormant": "A member goes quiet", "trigger_streak_broken": "A check-in streak breaks",
		"do_send": "Send to the group", "do_dm": "Direct message", "do_tag": "Tag the member", "do_notify": "Notify operators", "do_award": "Award points",
		"welcome_help":  "Greets newcomers; everyone who joins within the batch window gets one message. Self-introductions are noticed for 72 hours.",
		"batch_seconds": "Batch window (seconds)", "intro_prompt": "Introduction prompt ({intro})", "default": "Default",
		"new_challenge": "New check-in challenge", "title": "Title", "goal": "Goal (days)", "start": "Start", "end": "End",
		"window": "Daily window", "min_length": "Minimum words", "require_image": "Needs a picture", "makeups": "Make-up cards",
		"reminder_at": "Remind at", "daily_points": "Points per check-in", "reward_points": "Points on completion",
		"participants": "Participants", "completed": "Completed", "checkins": "Check-ins", "streak": "Streak", "checkin_link": "Mobile link",
		"checkins_per_day": "Check-ins per day", "leaders": "Participants", "checkin_help": "Members check in by writing 打卡 or checkin with what they did; 补卡 DATE makes up a missed day.",
		"asked": "Asked", "answered": "Answered", "answer_rate": "Answer rate", "median_answer": "Median answer time", "cue": "Why a question",
		"answer": "Answer", "open": "open", "unanswered": "Unanswered", "questions_help": "Questions of the last 30 days, detected in Chinese and English, with the first answer (reply, mention or the person asked).",
		"all_kinds": "All kinds", "acknowledge": "Acknowledge", "resolve": "Resolve", "reopen": "Reopen", "alerts_help": "Raised by the detectors: unanswered questions, silent groups, spam waves, complaint spikes, full groups, members gone quiet.",
		"details": "Details", "broadcast_help": "One announcement to many groups, sent a little apart. To 10 groups or more it needs a second operator's approval.",
		"stagger": "Seconds between groups", "preview": "Preview", "send_broadcast": "Send", "approve": "Approve", "reject": "Reject",
		"needs_approval": "needs a second operator's approval", "groups": "groups", "sample": "Sample", "takes": "takes",
		"checkin_page": "Check in", "checkin_submit": "Check in", "makeup_day": "Make up a day (optional)", "what_did_you_do": "What did you do today?",
		"alert_unanswered": "Unanswered question", "alert_silence": "Group gone quiet", "alert_dormant": "Members gone quiet", "alert_spam_wave": "Spam wave",
		"alert_sentiment": "Complaint spike", "alert_capacity": "Group nearly full", "alert_automation": "Automation",
	},
	"zh": {
		"engage": "运营", "calendar": "日程", "automations": "自动化", "challenges": "打卡", "questions": "问答",
		"alerts": "提醒", "broadcasts": "群发", "welcome": "入群欢迎",
		"calendar_help": "未来 7 天所有群的定时内容（按各群时区，已避开免打扰时段）。",
		"sends":         "条", "due": "发送时间", "scheduled_for": "计划时间", "automation": "自动化", "step": "步骤", "more_items": "更多",
		"new_sop": "新建 SOP 模板", "new_rule": "新建规则", "kind": "类型", "sop": "SOP 模板", "rule": "规则", "enabled": "启用",
		"selector": "适用群", "selector_help": "留空表示全部群；类型、标签、平台用逗号分隔。",
		"kinds": "群类型", "tags": "标签", "platforms": "平台", "community_ids": "群编号", "quiet_hours": "免打扰时段",
		"steps": "步骤", "cron": "时间（cron）", "cron_help": "分 时 日 月 周，例如 0 8 * * 1-5 表示工作日 08:00（按各群时区）",
		"text": "内容", "variables_help": "变量：{name} {group} {rules} {date} {weekday} {inviter}，以及下面自定义的变量。",
		"vars": "变量", "vars_help": "每行一个：key=value 对所有群生效，12:key=value 只对 12 号群生效。",
		"trigger": "触发条件", "keywords": "关键词", "hours": "小时", "days": "天", "actions": "动作", "tag": "标签", "points": "积分",
		"conditions": "成员分层", "save": "保存", "delete": "删除", "edit": "编辑", "saved": "已保存",
		"trigger_schedule": "定时", "trigger_join": "有人入群", "trigger_keyword": "出现关键词",
		"trigger_first_message": "成员首次发言", "trigger_silence": "活跃群突然沉默", "trigger_unanswered": "问题无人回答",
		"trigger_dormant": "成员长期沉默", "trigger_streak_broken": "连续打卡中断",
		"do_send": "在群里发送", "do_dm": "私聊", "do_tag": "给成员打标签", "do_notify": "通知运营", "do_award": "奖励积分",
		"welcome_help":  "欢迎新人；批量窗口内入群的人合并为一条欢迎语。72 小时内的自我介绍会被识别。",
		"batch_seconds": "合并窗口（秒）", "intro_prompt": "自我介绍引导（{intro}）", "default": "默认",
		"new_challenge": "新建打卡活动", "title": "标题", "goal": "目标（天）", "start": "开始", "end": "结束",
		"window": "每日打卡时段", "min_length": "最少字数", "require_image": "需要图片", "makeups": "补卡次数",
		"reminder_at": "提醒时间", "daily_points": "每次打卡积分", "reward_points": "完成奖励积分",
		"participants": "参与人数", "completed": "已完成", "checkins": "打卡次数", "streak": "连续天数", "checkin_link": "手机打卡链接",
		"checkins_per_day": "每日打卡", "leaders": "参与成员", "checkin_help": "成员在群里发「打卡 + 今天做了什么」即可打卡；「补卡 日期」补签。",
		"asked": "提问", "answered": "已回答", "answer_rate": "回答率", "median_answer": "回答时间中位数", "cue": "识别依据",
		"answer": "回答", "open": "未回答", "unanswered": "未回答", "questions_help": "最近 30 天识别到的中英文问题，以及第一条回答（回复、@ 或被问的人）。",
		"all_kinds": "全部类型", "acknowledge": "知道了", "resolve": "已处理", "reopen": "重新打开", "alerts_help": "由检测器发出：问题无人回答、群突然沉默、广告潮、负面情绪集中、群快满了、成员沉默。",
		"details": "详情", "broadcast_help": "一条公告发到多个群，逐个间隔发送。10 个群及以上需要另一位运营审批。",
		"stagger": "每个群间隔（秒）", "preview": "预览", "send_broadcast": "发送", "approve": "批准", "reject": "驳回",
		"needs_approval": "需要另一位运营审批", "groups": "个群", "sample": "示例", "takes": "用时",
		"checkin_page": "打卡", "checkin_submit": "打卡", "makeup_day": "补卡日期（可选）", "what_did_you_do": "今天做了什么？",
		"alert_unanswered": "问题无人回答", "alert_silence": "群突然沉默", "alert_dormant": "成员沉默", "alert_spam_wave": "广告潮",
		"alert_sentiment": "负面情绪集中", "alert_capacity": "群快满了", "alert_automation": "自动化通知",
	},
}

func init() {
	for l, m := range aliveMessages {
		for k, v := range m {
			if _, dup := messages[l][k]; !dup {
				messages[l][k] = v
			}
		}
	}
}
