package sim

import "strings"

// Message templates. The simulator writes these itself; they are not taken
// from any data set. {n} is replaced by a number, {t} by a topic.
var (
	zhTopics = []string{"早报", "打卡", "新版本", "周末活动", "优惠券", "读书会", "线下沙龙", "产品体验", "课程", "直播"}
	enTopics = []string{"release", "meetup", "check-in", "weekly digest", "beta", "docs", "pricing", "workshop", "roadmap", "AMA"}

	zhChat = []string{
		"大家早上好！今天的{t}看了吗", "哈哈哈这个太真实了", "同意楼上", "收到，谢谢群主", "今天{t}我来分享一下心得",
		"我昨天试了一下，效果还不错", "有没有一起参加{t}的小伙伴", "感谢分享，学到了", "这个思路很好，回头试试",
		"第{n}天打卡完成 ✅", "周末有人一起吗", "刚下班，终于可以看群消息了", "这个链接我存一下，晚上看",
		"新人报到，请多关照", "群里好热闹啊", "这周的{t}什么时候开始", "我觉得价格还可以接受",
		"已经推荐给朋友了", "晚安各位", "赞👍", "说得太好了", "我来补充一点：要先看文档再动手",
	}
	zhQuestions = []string{
		"请问{t}在哪里报名？", "有人知道{t}怎么参加吗", "这个问题怎么解决啊？", "新版本的{t}什么时候上线？",
		"请教一下，优惠券怎么用？", "为什么我的打卡没有记录呢？", "有没有{t}的回放？", "群主，{t}还有名额吗",
	}
	zhAnswers = []string{
		"在公众号菜单里可以报名", "我记得是周五晚上八点", "重新登录一下就好了", "回放在群公告里",
		"下单的时候选一下就能用", "还有名额，私聊群主", "看置顶消息，有详细说明", "我也遇到过，更新到最新版就好了",
	}
	enChat = []string{
		"good morning everyone", "thanks for sharing!", "this {t} looks great", "+1, agreed", "just tried it, works for me",
		"anyone joining the {t} this week?", "day {n} of the challenge done ✅", "lol same here", "nice writeup on the {t}",
		"welcome to the new folks", "I'll share my notes after the {t}", "the price seems fair to me", "bookmarked the link, will read tonight",
	}
	enQuestions = []string{
		"how do I sign up for the {t}?", "does anyone know when the {t} starts?", "is there a recording of the {t}?",
		"why does my check-in not show up?", "what's the best way to get started with the {t}?", "can someone help me with the {t}?",
	}
	enAnswers = []string{
		"there's a link in the pinned message", "it starts Friday 8pm", "try logging out and in again", "recording is in the channel topic",
		"the docs have a getting-started page", "ping the admins, they can add you",
	}
	spamTexts = []string{
		"兼职刷单，日结300，加微信 abc{n}888 详聊", "免费领取投资理财课程，加V：licai{n}", "代理招募，零成本月入过万，私聊扣扣 {n}2345",
		"Earn $500/day from home!!! DM me on telegram t.me/cashfast{n}", "crypto signals 100% profit, join t.me/pumpgroup{n}",
		"低价出售会员账号，需要的加威信 vip{n}", "点击领取红包 http://bit.ly/hb{n} 先到先得",
	}
	zhGroupNames = []string{"读书会", "打卡营", "产品内测群", "用户交流群", "北京同城会", "上海同城会", "早起俱乐部", "摄影爱好者", "宝妈交流群", "跑步团", "职场成长营", "会员福利群", "新手答疑群", "KOL核心群"}
	enGroupNames = []string{"Beta Testers", "Community Lounge", "Support", "Builders Club", "Book Club", "Running Crew", "Design Guild", "Early Birds"}
	zhNames      = []string{"小王", "李雷", "韩梅梅", "张伟", "阿杰", "Lily", "陈晨", "刘洋", "小雨", "老周", "王芳", "赵磊", "孙悦", "周杰", "吴敏", "郑爽", "小鱼", "大熊", "阿花", "Kevin"}
	enNames      = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar", "peggy", "trent", "victor", "walter"}
)

// IsSpam reports whether text is one of the simulator's spam messages
// (tests tell the simulated ads from the normal chat with it).
func IsSpam(text string) bool {
	for _, tpl := range spamTexts {
		head, tail, _ := strings.Cut(tpl, "{n}")
		if strings.HasPrefix(text, head) && strings.HasSuffix(text, tail) {
			return true
		}
	}
	return false
}
