// The one translation table (zh-CN, en) and the functions that read it.
// Every string a person sees goes through t(). The table between the BEGIN
// and END lines is strict JSON: a Go test reads it and checks that every key
// the pages use exists in both languages.

const LANGS = ['zh-CN', 'en'];
const KEY = 'agri.lang';

// BEGIN TABLE
const table = {
 "admin.anyRole": {
  "en": "Any role",
  "zh-CN": "全部角色"
 },
 "admin.dataset": {
  "en": "Dataset",
  "zh-CN": "数据集"
 },
 "admin.detail": {
  "en": "Detail",
  "zh-CN": "说明"
 },
 "admin.dryRun": {
  "en": "dry run",
  "zh-CN": "试运行"
 },
 "admin.file": {
  "en": "File (CSV or Excel)",
  "zh-CN": "文件（CSV 或 Excel）"
 },
 "admin.import": {
  "en": "Import",
  "zh-CN": "导入"
 },
 "admin.importStarted": {
  "en": "Import started",
  "zh-CN": "导入已开始"
 },
 "admin.imports": {
  "en": "Imports",
  "zh-CN": "数据导入"
 },
 "admin.noImports": {
  "en": "No imports.",
  "zh-CN": "暂无导入。"
 },
 "admin.noRows": {
  "en": "No rows.",
  "zh-CN": "没有行记录。"
 },
 "admin.outcome": {
  "en": "Outcome",
  "zh-CN": "结果"
 },
 "admin.outcome.imported": {
  "en": "Imported",
  "zh-CN": "新增"
 },
 "admin.outcome.rejected": {
  "en": "Rejected",
  "zh-CN": "拒绝"
 },
 "admin.outcome.unchanged": {
  "en": "Unchanged",
  "zh-CN": "未变"
 },
 "admin.outcome.updated": {
  "en": "Updated",
  "zh-CN": "更新"
 },
 "admin.phonePrefix": {
  "en": "Phone (first digits)",
  "zh-CN": "手机号（前几位即可）"
 },
 "admin.recent": {
  "en": "Recent imports",
  "zh-CN": "最近导入"
 },
 "admin.report": {
  "en": "{rows} rows: {imported} new, {updated} updated, {unchanged} unchanged, {rejected} rejected",
  "zh-CN": "共 {rows} 行：新增 {imported}，更新 {updated}，未变 {unchanged}，拒绝 {rejected}"
 },
 "admin.role": {
  "en": "Role",
  "zh-CN": "角色"
 },
 "admin.roles": {
  "en": "Roles",
  "zh-CN": "角色"
 },
 "admin.row": {
  "en": "Row",
  "zh-CN": "行"
 },
 "admin.saveRoles": {
  "en": "Save roles",
  "zh-CN": "保存角色"
 },
 "admin.saved": {
  "en": "Saved",
  "zh-CN": "已保存"
 },
 "admin.showRows": {
  "en": "Show the row report",
  "zh-CN": "查看逐行报告"
 },
 "admin.state.done": {
  "en": "Done",
  "zh-CN": "完成"
 },
 "admin.state.failed": {
  "en": "Failed",
  "zh-CN": "失败"
 },
 "admin.state.interrupted": {
  "en": "Interrupted",
  "zh-CN": "中断"
 },
 "admin.state.running": {
  "en": "Running",
  "zh-CN": "进行中"
 },
 "admin.title": {
  "en": "Administration",
  "zh-CN": "管理"
 },
 "admin.users": {
  "en": "Users and roles",
  "zh-CN": "用户与角色"
 },
 "app.name": {
  "en": "Liaoning 12316 Agri-Maker",
  "zh-CN": "辽宁12316农业创客"
 },
 "app.noscript": {
  "en": "Please enable JavaScript.",
  "zh-CN": "请启用 JavaScript。"
 },
 "app.skip": {
  "en": "Skip to content",
  "zh-CN": "跳到正文"
 },
 "app.title": {
  "en": "Liaoning 12316 Agri-Maker Platform",
  "zh-CN": "辽宁12316农业创客平台"
 },
 "auction.accepted": {
  "en": "Bid accepted: {amount}",
  "zh-CN": "出价成功：{amount}"
 },
 "auction.badAmount": {
  "en": "Enter an amount such as 15.50",
  "zh-CN": "请输入金额，如 15.50"
 },
 "auction.bid": {
  "en": "Bid",
  "zh-CN": "出价"
 },
 "auction.bidAria": {
  "en": "Bid {amount}",
  "zh-CN": "出价 {amount}"
 },
 "auction.bids": {
  "en": "{n} bids",
  "zh-CN": "{n} 次出价"
 },
 "auction.byProxy": {
  "en": "proxy",
  "zh-CN": "代理"
 },
 "auction.cancel": {
  "en": "Cancel auction",
  "zh-CN": "撤拍"
 },
 "auction.cancelConfirm": {
  "en": "Cancel this auction?",
  "zh-CN": "确定撤销这场竞拍？"
 },
 "auction.cancelled": {
  "en": "The auction was cancelled",
  "zh-CN": "竞拍已取消"
 },
 "auction.closing": {
  "en": "Closing…",
  "zh-CN": "正在结束…"
 },
 "auction.commodity": {
  "en": "Commodity",
  "zh-CN": "品类"
 },
 "auction.customAmount": {
  "en": "Your amount (yuan per {unit})",
  "zh-CN": "自定义出价（元/{unit}）"
 },
 "auction.delivery": {
  "en": "Seller delivers",
  "zh-CN": "卖方送货"
 },
 "auction.ended": {
  "en": "Ended",
  "zh-CN": "已结束"
 },
 "auction.endsAt": {
  "en": "Ends",
  "zh-CN": "结束"
 },
 "auction.grade": {
  "en": "Grade",
  "zh-CN": "等级"
 },
 "auction.harvest": {
  "en": "Harvested",
  "zh-CN": "采收日期"
 },
 "auction.hasReserve": {
  "en": "Has a hidden reserve",
  "zh-CN": "设有保留价（不公开）"
 },
 "auction.highestBid": {
  "en": "Highest bid",
  "zh-CN": "当前最高价"
 },
 "auction.history": {
  "en": "Bid history",
  "zh-CN": "出价记录"
 },
 "auction.increment": {
  "en": "Step",
  "zh-CN": "加价幅度"
 },
 "auction.kind": {
  "en": "Kind",
  "zh-CN": "类型"
 },
 "auction.leading": {
  "en": "You are leading",
  "zh-CN": "您当前领先"
 },
 "auction.loginToBid": {
  "en": "Log in to bid",
  "zh-CN": "登录后即可出价"
 },
 "auction.lot": {
  "en": "The lot",
  "zh-CN": "拍品信息"
 },
 "auction.lowestOffer": {
  "en": "Lowest offer",
  "zh-CN": "当前最低报价"
 },
 "auction.minBid": {
  "en": "Min. bid",
  "zh-CN": "最低加价"
 },
 "auction.noBids": {
  "en": "No bids: no sale",
  "zh-CN": "无人出价，流拍"
 },
 "auction.notBidYet": {
  "en": "You have not bid yet",
  "zh-CN": "您还未出价"
 },
 "auction.origin": {
  "en": "Origin",
  "zh-CN": "产地"
 },
 "auction.outbid": {
  "en": "You were outbid",
  "zh-CN": "您已被超越，请加价"
 },
 "auction.photoAlt": {
  "en": "Photo {n}: {title}",
  "zh-CN": "拍品图片 {n}：{title}"
 },
 "auction.pickup": {
  "en": "Buyer collects",
  "zh-CN": "买方自提"
 },
 "auction.plusSteps": {
  "en": "+{k} steps",
  "zh-CN": "再加 {k} 档"
 },
 "auction.price": {
  "en": "Current price",
  "zh-CN": "当前价"
 },
 "auction.proxy": {
  "en": "Proxy bid (a maximum; we bid for you)",
  "zh-CN": "代理出价（设最高价，系统自动跟价）"
 },
 "auction.proxyBuy": {
  "en": "Proxy offer (a minimum; we offer for you)",
  "zh-CN": "代理报价（设最低价，系统自动跟价）"
 },
 "auction.proxyBuyHint": {
  "en": "When others offer, we lower yours by the least step, down to your minimum.",
  "zh-CN": "别人报价时，系统替您以最小降价跟上，直到您的最低价。"
 },
 "auction.proxyHint": {
  "en": "When others bid, we raise your bid by the least step, up to your maximum.",
  "zh-CN": "别人出价时，系统替您以最小加价跟上，直到您的最高价。"
 },
 "auction.proxyMax": {
  "en": "Limit (yuan per {unit})",
  "zh-CN": "上限（元/{unit}）"
 },
 "auction.proxySet": {
  "en": "Set",
  "zh-CN": "设置"
 },
 "auction.proxyStored": {
  "en": "Proxy set at {amount}",
  "zh-CN": "已设置代理价 {amount}"
 },
 "auction.quantity": {
  "en": "Quantity",
  "zh-CN": "数量"
 },
 "auction.remaining": {
  "en": "{d} left",
  "zh-CN": "剩余 {d}"
 },
 "auction.reserve": {
  "en": "Reserve",
  "zh-CN": "保留价"
 },
 "auction.reserveNotMet": {
  "en": "Reserve not met: no sale",
  "zh-CN": "未达保留价，流拍"
 },
 "auction.sending": {
  "en": "Bidding {amount}…",
  "zh-CN": "正在出价 {amount}…"
 },
 "auction.softClose": {
  "en": "Soft close",
  "zh-CN": "延时"
 },
 "auction.softCloseText": {
  "en": "A bid in the last {s} s extends by {s} s",
  "zh-CN": "最后 {s} 秒内有人出价则延长 {s} 秒"
 },
 "auction.startPrice": {
  "en": "Start price",
  "zh-CN": "起拍价"
 },
 "auction.startsAt": {
  "en": "Starts",
  "zh-CN": "开始"
 },
 "auction.startsIn": {
  "en": "Starts in {d}",
  "zh-CN": "距开始 {d}"
 },
 "auction.terms": {
  "en": "Hand-over",
  "zh-CN": "交收方式"
 },
 "auction.variety": {
  "en": "Variety",
  "zh-CN": "品种"
 },
 "auction.watchers": {
  "en": "Watching",
  "zh-CN": "正在围观"
 },
 "auction.wonBy": {
  "en": "Won by {who} at {amount}",
  "zh-CN": "成交：{who}，{amount}"
 },
 "auction.youWon": {
  "en": "You won at {amount}",
  "zh-CN": "您赢得了本场竞拍，成交价 {amount}"
 },
 "auction.youWonShort": {
  "en": "You won",
  "zh-CN": "您已中标"
 },
 "auction.yourAuction": {
  "en": "This is your auction",
  "zh-CN": "这是您发布的竞拍"
 },
 "audience.buyer": {
  "en": "Buyers",
  "zh-CN": "采购商"
 },
 "audience.enterprise": {
  "en": "Enterprise",
  "zh-CN": "企业"
 },
 "audience.finance": {
  "en": "Finance",
  "zh-CN": "金融保险"
 },
 "audience.government": {
  "en": "Government",
  "zh-CN": "政府部门"
 },
 "audience.research": {
  "en": "Research",
  "zh-CN": "科研院校"
 },
 "auth.badPhone": {
  "en": "Enter an 11-digit mainland mobile number.",
  "zh-CN": "请输入 11 位手机号（1 开头）。"
 },
 "auth.haveAccount": {
  "en": "Already registered?",
  "zh-CN": "已有账号？"
 },
 "auth.login": {
  "en": "Log in",
  "zh-CN": "登录"
 },
 "auth.loginTitle": {
  "en": "Log in with your mobile number",
  "zh-CN": "手机号登录"
 },
 "auth.name": {
  "en": "Name or company",
  "zh-CN": "姓名或单位名称"
 },
 "auth.nameHint": {
  "en": "Shown to the other party after a deal",
  "zh-CN": "对方成交后可见"
 },
 "auth.noAccount": {
  "en": "No account yet?",
  "zh-CN": "还没有账号？"
 },
 "auth.password": {
  "en": "Password",
  "zh-CN": "密码"
 },
 "auth.passwordHint": {
  "en": "At least 8 characters",
  "zh-CN": "至少 8 位"
 },
 "auth.phone": {
  "en": "Mobile number",
  "zh-CN": "手机号"
 },
 "auth.register": {
  "en": "Sign up",
  "zh-CN": "注册"
 },
 "auth.registerTitle": {
  "en": "Create an account",
  "zh-CN": "注册账号"
 },
 "auth.role": {
  "en": "I am a",
  "zh-CN": "我是"
 },
 "common.bidder": {
  "en": "bidder",
  "zh-CN": "买家"
 },
 "common.loading": {
  "en": "Loading…",
  "zh-CN": "加载中…"
 },
 "common.me": {
  "en": "me",
  "zh-CN": "我"
 },
 "common.more": {
  "en": "Load more",
  "zh-CN": "加载更多"
 },
 "common.notFound": {
  "en": "Page not found",
  "zh-CN": "页面不存在"
 },
 "common.sections": {
  "en": "Sections",
  "zh-CN": "分栏"
 },
 "conn.closed": {
  "en": "Disconnected",
  "zh-CN": "已断开"
 },
 "conn.connecting": {
  "en": "Connecting",
  "zh-CN": "连接中"
 },
 "conn.open": {
  "en": "Connected",
  "zh-CN": "已连接"
 },
 "contest.addMember": {
  "en": "Add member",
  "zh-CN": "添加成员"
 },
 "contest.age": {
  "en": "Age",
  "zh-CN": "年龄"
 },
 "contest.attachment": {
  "en": "Attachment (PDF or image)",
  "zh-CN": "附件（PDF 或图片）"
 },
 "contest.attachmentHint": {
  "en": "PDF up to 20 MB, images up to 5 MB",
  "zh-CN": "PDF 不超过 20 MB，图片不超过 5 MB"
 },
 "contest.attachments": {
  "en": "Attachments",
  "zh-CN": "附件"
 },
 "contest.eTitle": {
  "en": "Project title",
  "zh-CN": "项目名称"
 },
 "contest.edit": {
  "en": "Edit draft",
  "zh-CN": "修改草稿"
 },
 "contest.editions": {
  "en": "Editions",
  "zh-CN": "赛事"
 },
 "contest.mBirth": {
  "en": "Date of birth",
  "zh-CN": "出生日期"
 },
 "contest.mName": {
  "en": "Name",
  "zh-CN": "姓名"
 },
 "contest.mOrg": {
  "en": "Organisation",
  "zh-CN": "工作单位"
 },
 "contest.mRegion": {
  "en": "Region",
  "zh-CN": "所在地区"
 },
 "contest.mRole": {
  "en": "Role",
  "zh-CN": "角色"
 },
 "contest.memberN": {
  "en": "Member {n}",
  "zh-CN": "成员 {n}"
 },
 "contest.memberRange": {
  "en": "{a}–{b} people",
  "zh-CN": "{a}—{b} 人"
 },
 "contest.members": {
  "en": "Team size",
  "zh-CN": "团队人数"
 },
 "contest.myEntries": {
  "en": "My entries",
  "zh-CN": "我的报名"
 },
 "contest.noResult": {
  "en": "Not published yet.",
  "zh-CN": "结果尚未公布。"
 },
 "contest.none": {
  "en": "No editions.",
  "zh-CN": "暂无赛事。"
 },
 "contest.regClosed": {
  "en": "Registration closed",
  "zh-CN": "报名未开放"
 },
 "contest.regOpen": {
  "en": "Registration open",
  "zh-CN": "报名中"
 },
 "contest.regWindow": {
  "en": "Registration {a} – {b}",
  "zh-CN": "报名时间 {a} — {b}"
 },
 "contest.region": {
  "en": "Region",
  "zh-CN": "项目所在地"
 },
 "contest.register": {
  "en": "Register a team",
  "zh-CN": "团队报名"
 },
 "contest.registerHint": {
  "en": "Save a draft, add attachments, then submit. After submitting you cannot edit.",
  "zh-CN": "先保存草稿，再上传附件并提交。提交后不能修改。"
 },
 "contest.registration": {
  "en": "Registration",
  "zh-CN": "报名"
 },
 "contest.removeMember": {
  "en": "Remove this member",
  "zh-CN": "移除该成员"
 },
 "contest.result": {
  "en": "Result",
  "zh-CN": "比赛结果"
 },
 "contest.rounds": {
  "en": "Rounds",
  "zh-CN": "评审轮次"
 },
 "contest.saveDraft": {
  "en": "Save draft",
  "zh-CN": "保存草稿"
 },
 "contest.saved": {
  "en": "Saved",
  "zh-CN": "已保存"
 },
 "contest.stage": {
  "en": "Stage",
  "zh-CN": "阶段"
 },
 "contest.submit": {
  "en": "Submit entry",
  "zh-CN": "提交报名"
 },
 "contest.submitConfirm": {
  "en": "You cannot edit after submitting. Submit?",
  "zh-CN": "提交后不能修改，确定提交？"
 },
 "contest.submitDone": {
  "en": "Entry submitted",
  "zh-CN": "报名已提交"
 },
 "contest.summary": {
  "en": "Summary",
  "zh-CN": "项目简介"
 },
 "contest.teamMembers": {
  "en": "Team members",
  "zh-CN": "团队成员"
 },
 "contest.title": {
  "en": "Agri-maker contest",
  "zh-CN": "农业创客大赛"
 },
 "contest.track": {
  "en": "Track",
  "zh-CN": "赛道"
 },
 "contest.tracks": {
  "en": "Tracks",
  "zh-CN": "赛道"
 },
 "contest.upload": {
  "en": "Upload",
  "zh-CN": "上传"
 },
 "contest.withdraw": {
  "en": "Withdraw",
  "zh-CN": "退赛"
 },
 "contest.withdrawConfirm": {
  "en": "Withdraw from the contest?",
  "zh-CN": "确定退赛？"
 },
 "contest.withdrawDone": {
  "en": "Withdrawn",
  "zh-CN": "已退赛"
 },
 "create.commodity": {
  "en": "Commodity",
  "zh-CN": "品类"
 },
 "create.commodityHint": {
  "en": "e.g. strawberries, rice, maize",
  "zh-CN": "如：草莓、大米、玉米"
 },
 "create.description": {
  "en": "Description",
  "zh-CN": "说明"
 },
 "create.endsAt": {
  "en": "End",
  "zh-CN": "结束时间"
 },
 "create.extend": {
  "en": "Soft close (seconds)",
  "zh-CN": "延时秒数"
 },
 "create.extendHint": {
  "en": "A late bid extends the end; 0 turns it off",
  "zh-CN": "最后几秒内有人出价就延长，0 为不延时"
 },
 "create.fix": {
  "en": "Please fix the marked fields.",
  "zh-CN": "请修改标出的项。"
 },
 "create.grade": {
  "en": "Grade",
  "zh-CN": "等级"
 },
 "create.harvest": {
  "en": "Harvest date",
  "zh-CN": "采收日期"
 },
 "create.increment": {
  "en": "Step (yuan)",
  "zh-CN": "加价幅度（元）"
 },
 "create.kind": {
  "en": "Kind",
  "zh-CN": "竞拍类型"
 },
 "create.kindHint": {
  "en": "Sell: highest wins. Buy: lowest offer wins.",
  "zh-CN": "卖货：价高者得；求购：报价低者得"
 },
 "create.needRole": {
  "en": "Creating auctions needs the farmer or buyer role.",
  "zh-CN": "发布竞拍需要农户或采购商身份。"
 },
 "create.origin": {
  "en": "Origin",
  "zh-CN": "产地"
 },
 "create.perUnit": {
  "en": "Per unit, e.g. per jin",
  "zh-CN": "按每单位计价，如每斤"
 },
 "create.photo": {
  "en": "Photo of the lot",
  "zh-CN": "拍品照片"
 },
 "create.photoFailed": {
  "en": "The auction is up, but the photo failed:",
  "zh-CN": "竞拍已发布，但照片上传失败："
 },
 "create.photoHint": {
  "en": "Take one now; it is shrunk before upload",
  "zh-CN": "可直接拍照；会自动压缩"
 },
 "create.photoTooBig": {
  "en": "The photo cannot be shrunk under 512 KB.",
  "zh-CN": "照片太大，无法压缩到 512 KB 以内。"
 },
 "create.positive": {
  "en": "Must be above 0",
  "zh-CN": "须大于 0"
 },
 "create.quantity": {
  "en": "Quantity",
  "zh-CN": "数量"
 },
 "create.required": {
  "en": "Required",
  "zh-CN": "必填"
 },
 "create.reserve": {
  "en": "Reserve (yuan, optional)",
  "zh-CN": "保留价（元，可不填）"
 },
 "create.reserveHint": {
  "en": "Hidden; below it there is no sale",
  "zh-CN": "不公开；未达到则流拍"
 },
 "create.startPrice": {
  "en": "Start price (yuan)",
  "zh-CN": "起拍价（元）"
 },
 "create.startsAt": {
  "en": "Start (optional)",
  "zh-CN": "开始时间（可不填）"
 },
 "create.startsAtHint": {
  "en": "Empty: starts now. Beijing time.",
  "zh-CN": "不填则立即开始；北京时间"
 },
 "create.submit": {
  "en": "Publish",
  "zh-CN": "发布"
 },
 "create.terms": {
  "en": "Hand-over",
  "zh-CN": "交收方式"
 },
 "create.timeHint": {
  "en": "Beijing time",
  "zh-CN": "北京时间"
 },
 "create.title": {
  "en": "New auction",
  "zh-CN": "发布竞拍"
 },
 "create.titleField": {
  "en": "Title",
  "zh-CN": "标题"
 },
 "create.unit": {
  "en": "Unit",
  "zh-CN": "单位"
 },
 "create.variety": {
  "en": "Variety",
  "zh-CN": "品种"
 },
 "data.knowledgeText": {
  "en": "Answers from the 12316 hotline's experts",
  "zh-CN": "12316 热线专家问答"
 },
 "data.orgText": {
  "en": "For organisations: API keys and usage",
  "zh-CN": "机构接入：API 密钥与用量"
 },
 "data.pricesText": {
  "en": "Market prices over time",
  "zh-CN": "各市场农产品价格走势"
 },
 "data.supplyText": {
  "en": "Offers and requests",
  "zh-CN": "供应与求购信息"
 },
 "data.title": {
  "en": "12316 data",
  "zh-CN": "12316 数据"
 },
 "entry.status.draft": {
  "en": "Draft",
  "zh-CN": "草稿"
 },
 "entry.status.submitted": {
  "en": "Submitted",
  "zh-CN": "已提交"
 },
 "entry.status.withdrawn": {
  "en": "Withdrawn",
  "zh-CN": "已退赛"
 },
 "err.already_submitted": {
  "en": "Already submitted.",
  "zh-CN": "已经提交过了。"
 },
 "err.bad_credentials": {
  "en": "Wrong phone number or password.",
  "zh-CN": "手机号或密码错误。"
 },
 "err.bad_message": {
  "en": "Malformed message.",
  "zh-CN": "消息格式错误。"
 },
 "err.bad_photo": {
  "en": "Unsupported image (JPEG, PNG or WebP only).",
  "zh-CN": "图片格式不支持（仅 JPEG、PNG、WebP）。"
 },
 "err.forbidden": {
  "en": "Not allowed for your role.",
  "zh-CN": "没有权限（角色不符）。"
 },
 "err.ineligible": {
  "en": "Not eligible:",
  "zh-CN": "不符合参赛条件："
 },
 "err.invalid": {
  "en": "Some fields are not valid: see the marks.",
  "zh-CN": "填写有误，请检查标出的项。"
 },
 "err.judging_started": {
  "en": "Judging has started; you can no longer withdraw.",
  "zh-CN": "评审已开始，不能退赛。"
 },
 "err.member_taken": {
  "en": "A member is already on another team this edition.",
  "zh-CN": "有成员已在本届其他队伍中。"
 },
 "err.network": {
  "en": "No network: check your connection and try again.",
  "zh-CN": "网络连接失败，请检查网络后重试。"
 },
 "err.not_a_judge": {
  "en": "That user does not hold the judge role.",
  "zh-CN": "该用户没有评委角色。"
 },
 "err.not_found": {
  "en": "Not found.",
  "zh-CN": "找不到该内容。"
 },
 "err.not_live": {
  "en": "The auction is not live.",
  "zh-CN": "竞拍未开始或已结束。"
 },
 "err.not_published": {
  "en": "Results are not published yet.",
  "zh-CN": "结果尚未发布。"
 },
 "err.org_suspended": {
  "en": "The organisation is suspended.",
  "zh-CN": "机构已被暂停。"
 },
 "err.outbid": {
  "en": "Your bid does not beat the standing price by the step.",
  "zh-CN": "出价不够高：已有更高（或更低）的出价，请刷新后再出。"
 },
 "err.own_auction": {
  "en": "You cannot bid on your own auction.",
  "zh-CN": "不能对自己发布的竞拍出价。"
 },
 "err.phone_taken": {
  "en": "This phone number is already registered: log in instead.",
  "zh-CN": "该手机号已注册，请直接登录。"
 },
 "err.rate_limited": {
  "en": "Too many requests; try again shortly.",
  "zh-CN": "操作太频繁，请稍后再试。"
 },
 "err.registration_closed": {
  "en": "Registration is not open.",
  "zh-CN": "报名未开放或已截止。"
 },
 "err.timeout": {
  "en": "No answer: check the bid history.",
  "zh-CN": "未收到确认，请查看出价记录。"
 },
 "err.too_large": {
  "en": "The file is too large.",
  "zh-CN": "文件太大。"
 },
 "err.too_many_photos": {
  "en": "At most 6 photos.",
  "zh-CN": "最多 6 张图片。"
 },
 "err.unauthorized": {
  "en": "Please log in.",
  "zh-CN": "请先登录。"
 },
 "err.unknown": {
  "en": "Something went wrong; please try again.",
  "zh-CN": "出错了，请重试。"
 },
 "judge.back": {
  "en": "Back",
  "zh-CN": "返回"
 },
 "judge.none": {
  "en": "No rounds.",
  "zh-CN": "暂无评审轮次。"
 },
 "judge.noneAssigned": {
  "en": "No entries assigned to you.",
  "zh-CN": "没有分配给您的作品。"
 },
 "judge.open": {
  "en": "Judge",
  "zh-CN": "去评审"
 },
 "judge.progress": {
  "en": "{done} of {n} submitted",
  "zh-CN": "已提交 {done} / {n}"
 },
 "judge.title": {
  "en": "Judging",
  "zh-CN": "评审"
 },
 "kind.all": {
  "en": "All kinds",
  "zh-CN": "全部类型"
 },
 "kind.buy": {
  "en": "Buy (buyer asks)",
  "zh-CN": "买方竞拍（采购商求购）"
 },
 "kind.sell": {
  "en": "Sell (farmer sells)",
  "zh-CN": "卖方竞拍（农户卖货）"
 },
 "knowledge.crop": {
  "en": "Crop",
  "zh-CN": "作物"
 },
 "knowledge.expert": {
  "en": "Expert: {n}",
  "zh-CN": "专家：{n}"
 },
 "knowledge.none": {
  "en": "No answers found.",
  "zh-CN": "没有找到相关问答。"
 },
 "knowledge.ph": {
  "en": "e.g. strawberry mildew",
  "zh-CN": "如：草莓 白粉病"
 },
 "knowledge.q": {
  "en": "Search questions",
  "zh-CN": "搜索问题"
 },
 "knowledge.search": {
  "en": "Search",
  "zh-CN": "搜索"
 },
 "knowledge.title": {
  "en": "Q&A knowledge",
  "zh-CN": "农技问答"
 },
 "lang.other": {
  "en": "中文",
  "zh-CN": "EN"
 },
 "lang.switch": {
  "en": "Switch language / 切换语言",
  "zh-CN": "切换语言 / Switch language"
 },
 "market.commodity": {
  "en": "Commodity",
  "zh-CN": "品类"
 },
 "market.commodityPh": {
  "en": "e.g. strawberries, rice",
  "zh-CN": "如：草莓、大米"
 },
 "market.kind": {
  "en": "Kind",
  "zh-CN": "类型"
 },
 "market.newAuction": {
  "en": "New auction",
  "zh-CN": "发布竞拍"
 },
 "market.newBuy": {
  "en": "Ask for supply",
  "zh-CN": "发布求购竞拍"
 },
 "market.newSell": {
  "en": "Sell a lot",
  "zh-CN": "发布卖货竞拍"
 },
 "market.none": {
  "en": "No auctions.",
  "zh-CN": "暂无竞拍。"
 },
 "market.region": {
  "en": "Origin",
  "zh-CN": "产地"
 },
 "market.status": {
  "en": "Status",
  "zh-CN": "状态"
 },
 "market.title": {
  "en": "Auctions",
  "zh-CN": "竞拍大厅"
 },
 "member.advisor": {
  "en": "Advisor",
  "zh-CN": "指导老师"
 },
 "member.leader": {
  "en": "Leader",
  "zh-CN": "队长"
 },
 "member.member": {
  "en": "Member",
  "zh-CN": "队员"
 },
 "mine.auctions": {
  "en": "My auctions",
  "zh-CN": "我发布的"
 },
 "mine.bids": {
  "en": "My bids",
  "zh-CN": "我的出价"
 },
 "mine.empty": {
  "en": "Nothing yet.",
  "zh-CN": "暂无记录。"
 },
 "mine.orders": {
  "en": "Orders",
  "zh-CN": "订单"
 },
 "mine.title": {
  "en": "Me",
  "zh-CN": "我的"
 },
 "mine.won": {
  "en": "Won",
  "zh-CN": "我赢得的"
 },
 "nav.contest": {
  "en": "Contest",
  "zh-CN": "大赛"
 },
 "nav.data": {
  "en": "Data",
  "zh-CN": "数据"
 },
 "nav.login": {
  "en": "Log in",
  "zh-CN": "登录"
 },
 "nav.logout": {
  "en": "Log out",
  "zh-CN": "退出登录"
 },
 "nav.main": {
  "en": "Main navigation",
  "zh-CN": "主导航"
 },
 "nav.market": {
  "en": "Auctions",
  "zh-CN": "竞拍"
 },
 "nav.mine": {
  "en": "Me",
  "zh-CN": "我的"
 },
 "nav.watch": {
  "en": "Board",
  "zh-CN": "看板"
 },
 "order.counterparty": {
  "en": "Other party",
  "zh-CN": "对方"
 },
 "order.created": {
  "en": "Made",
  "zh-CN": "成交时间"
 },
 "order.phone": {
  "en": "Phone",
  "zh-CN": "联系电话"
 },
 "order.role": {
  "en": "I am",
  "zh-CN": "我的身份"
 },
 "order.status.pending": {
  "en": "Awaiting hand-over",
  "zh-CN": "待交收"
 },
 "order.statusLabel": {
  "en": "Status",
  "zh-CN": "状态"
 },
 "order.title": {
  "en": "Order",
  "zh-CN": "订单详情"
 },
 "order.total": {
  "en": "Total",
  "zh-CN": "总价"
 },
 "order.youBuy": {
  "en": "the buyer",
  "zh-CN": "买方"
 },
 "order.youSell": {
  "en": "the seller",
  "zh-CN": "卖方"
 },
 "org.active": {
  "en": "Active",
  "zh-CN": "有效"
 },
 "org.addCriterion": {
  "en": "Add criterion",
  "zh-CN": "添加评分项"
 },
 "org.addJudge": {
  "en": "Add to the judge pool",
  "zh-CN": "加入评委库"
 },
 "org.addRound": {
  "en": "Add round",
  "zh-CN": "添加轮次"
 },
 "org.advance": {
  "en": "Advance by quota",
  "zh-CN": "按名额晋级"
 },
 "org.applied": {
  "en": "Applied; awaiting approval.",
  "zh-CN": "申请已提交，等待审核。"
 },
 "org.apply": {
  "en": "Apply",
  "zh-CN": "提交申请"
 },
 "org.applyTitle": {
  "en": "Apply for API access",
  "zh-CN": "申请数据接口"
 },
 "org.assignment": {
  "en": "Assignment",
  "zh-CN": "评委分配"
 },
 "org.attachments": {
  "en": "{n} attachments",
  "zh-CN": "{n} 个附件"
 },
 "org.audience": {
  "en": "Kind of organisation",
  "zh-CN": "机构类型"
 },
 "org.award": {
  "en": "Give awards",
  "zh-CN": "评奖"
 },
 "org.cKey": {
  "en": "Key (Latin letters)",
  "zh-CN": "代码（英文）"
 },
 "org.cMax": {
  "en": "Max",
  "zh-CN": "最高分"
 },
 "org.cMin": {
  "en": "Min",
  "zh-CN": "最低分"
 },
 "org.cName": {
  "en": "Name",
  "zh-CN": "名称"
 },
 "org.cWeight": {
  "en": "Weight",
  "zh-CN": "权重"
 },
 "org.calls": {
  "en": "Calls",
  "zh-CN": "次数"
 },
 "org.closes": {
  "en": "Registration closes",
  "zh-CN": "报名截止"
 },
 "org.contactName": {
  "en": "Contact",
  "zh-CN": "联系人"
 },
 "org.contactPhone": {
  "en": "Contact phone",
  "zh-CN": "联系电话"
 },
 "org.createEdition": {
  "en": "Create edition",
  "zh-CN": "创建赛事"
 },
 "org.criterion": {
  "en": "Criterion",
  "zh-CN": "评分项"
 },
 "org.day": {
  "en": "Day",
  "zh-CN": "日期"
 },
 "org.disagree": {
  "en": "Judges disagree",
  "zh-CN": "评委分歧大"
 },
 "org.edName": {
  "en": "Name",
  "zh-CN": "赛事名称"
 },
 "org.entries": {
  "en": "Entries",
  "zh-CN": "报名作品"
 },
 "org.expertise": {
  "en": "Expertise (tracks)",
  "zh-CN": "擅长赛道"
 },
 "org.finish": {
  "en": "Advance and award",
  "zh-CN": "晋级与评奖"
 },
 "org.flag": {
  "en": "Flag",
  "zh-CN": "提示"
 },
 "org.judge": {
  "en": "Judge",
  "zh-CN": "评委"
 },
 "org.judgeId": {
  "en": "Judge's user id",
  "zh-CN": "评委用户 ID"
 },
 "org.judges": {
  "en": "Judge pool",
  "zh-CN": "评委库"
 },
 "org.k": {
  "en": "Judges per entry",
  "zh-CN": "每个作品评委数"
 },
 "org.keyName": {
  "en": "What the key is for",
  "zh-CN": "密钥用途"
 },
 "org.keys": {
  "en": "API keys",
  "zh-CN": "API 密钥"
 },
 "org.maxMembers": {
  "en": "Max. members",
  "zh-CN": "最多人数"
 },
 "org.minMembers": {
  "en": "Min. members",
  "zh-CN": "最少人数"
 },
 "org.mode": {
  "en": "Judging",
  "zh-CN": "评审方式"
 },
 "org.name": {
  "en": "Organisation",
  "zh-CN": "机构名称"
 },
 "org.newKey": {
  "en": "New key",
  "zh-CN": "新建密钥"
 },
 "org.noKeys": {
  "en": "No keys yet.",
  "zh-CN": "还没有密钥。"
 },
 "org.noResults": {
  "en": "No scores yet.",
  "zh-CN": "暂无评分。"
 },
 "org.noUsage": {
  "en": "No calls yet.",
  "zh-CN": "暂无调用记录。"
 },
 "org.none": {
  "en": "No applications yet.",
  "zh-CN": "还没有接入申请。"
 },
 "org.notAssigned": {
  "en": "Not assigned yet.",
  "zh-CN": "尚未分配。"
 },
 "org.opens": {
  "en": "Registration opens",
  "zh-CN": "报名开始"
 },
 "org.pairs": {
  "en": "{n} pairs",
  "zh-CN": "{n} 组评审"
 },
 "org.pending": {
  "en": "Pending",
  "zh-CN": "审核中"
 },
 "org.progress": {
  "en": "Judging progress",
  "zh-CN": "评审进度"
 },
 "org.publish": {
  "en": "Publish results",
  "zh-CN": "发布结果"
 },
 "org.published": {
  "en": "Results published",
  "zh-CN": "结果已发布"
 },
 "org.purpose": {
  "en": "What the data is for",
  "zh-CN": "数据用途"
 },
 "org.rName": {
  "en": "Round name",
  "zh-CN": "轮次名称"
 },
 "org.rate": {
  "en": "{n} per second",
  "zh-CN": "每秒 {n} 次"
 },
 "org.reason": {
  "en": "Reason",
  "zh-CN": "不合格原因"
 },
 "org.rejected": {
  "en": "Rejected",
  "zh-CN": "未通过"
 },
 "org.review": {
  "en": "Review",
  "zh-CN": "资格审查"
 },
 "org.revoke": {
  "en": "Revoke",
  "zh-CN": "吊销"
 },
 "org.revokeConfirm": {
  "en": "Revoke this key? Programs using it stop at once.",
  "zh-CN": "确定吊销这个密钥？使用它的程序将立即失效。"
 },
 "org.revoked": {
  "en": "Revoked",
  "zh-CN": "已吊销"
 },
 "org.rotate": {
  "en": "Rotate",
  "zh-CN": "轮换"
 },
 "org.rubric": {
  "en": "Rubric",
  "zh-CN": "评分标准"
 },
 "org.runAssignment": {
  "en": "Run assignment",
  "zh-CN": "运行分配"
 },
 "org.runAt": {
  "en": "Run at {t}",
  "zh-CN": "分配于 {t}"
 },
 "org.scope": {
  "en": "Scope",
  "zh-CN": "数据"
 },
 "org.scopes": {
  "en": "Data asked for",
  "zh-CN": "申请的数据"
 },
 "org.score": {
  "en": "Score",
  "zh-CN": "得分"
 },
 "org.secretOnce": {
  "en": "The key is shown only this once: copy it now:",
  "zh-CN": "密钥只显示这一次，请立即复制保存："
 },
 "org.seq": {
  "en": "Round no.",
  "zh-CN": "轮次"
 },
 "org.sheets": {
  "en": "Submitted/assigned",
  "zh-CN": "已交/应交"
 },
 "org.shortfalls": {
  "en": "{n} entries are short of judges",
  "zh-CN": "{n} 个作品评委不足"
 },
 "org.status": {
  "en": "Status",
  "zh-CN": "状态"
 },
 "org.suspended": {
  "en": "Suspended",
  "zh-CN": "已暂停"
 },
 "org.title": {
  "en": "API access",
  "zh-CN": "机构接入"
 },
 "org.today": {
  "en": "Today {used} of {quota} a day",
  "zh-CN": "今日 {used} / 每日上限 {quota}"
 },
 "org.tracksHint": {
  "en": "Separate with commas",
  "zh-CN": "用逗号或顿号分隔"
 },
 "org.usage": {
  "en": "Usage",
  "zh-CN": "用量"
 },
 "org.year": {
  "en": "Year",
  "zh-CN": "年份"
 },
 "organize.title": {
  "en": "Organise the contest",
  "zh-CN": "赛事组织"
 },
 "pair.done": {
  "en": "All pairs done.",
  "zh-CN": "全部比较完成。"
 },
 "pair.hint": {
  "en": "Pick the better one.",
  "zh-CN": "请选出更好的一个。"
 },
 "pair.prefer": {
  "en": "{x} is better",
  "zh-CN": "{x} 更好"
 },
 "prices.avg": {
  "en": "Average",
  "zh-CN": "平均"
 },
 "prices.board": {
  "en": "Latest prices",
  "zh-CN": "最新行情"
 },
 "prices.chartTitle": {
  "en": "{c} prices (yuan per {u})",
  "zh-CN": "{c} 价格走势（元/{u}）"
 },
 "prices.commodity": {
  "en": "Commodity",
  "zh-CN": "品名"
 },
 "prices.count": {
  "en": "Quotes",
  "zh-CN": "报价数"
 },
 "prices.date": {
  "en": "Date",
  "zh-CN": "日期"
 },
 "prices.day": {
  "en": "Daily",
  "zh-CN": "按日"
 },
 "prices.from": {
  "en": "From",
  "zh-CN": "从"
 },
 "prices.legend": {
  "en": "Line: average; band: low to high.",
  "zh-CN": "线：平均价；浅色带：最低价—最高价。"
 },
 "prices.market": {
  "en": "Market",
  "zh-CN": "市场"
 },
 "prices.max": {
  "en": "High",
  "zh-CN": "最高"
 },
 "prices.min": {
  "en": "Low",
  "zh-CN": "最低"
 },
 "prices.month": {
  "en": "Monthly",
  "zh-CN": "按月"
 },
 "prices.none": {
  "en": "No prices.",
  "zh-CN": "暂无价格数据。"
 },
 "prices.perUnit": {
  "en": "yuan/{u}",
  "zh-CN": "元/{u}"
 },
 "prices.period": {
  "en": "Period",
  "zh-CN": "周期"
 },
 "prices.periodCol": {
  "en": "Period",
  "zh-CN": "时段"
 },
 "prices.show": {
  "en": "Show chart",
  "zh-CN": "查看走势"
 },
 "prices.table": {
  "en": "Data table",
  "zh-CN": "数据表"
 },
 "prices.title": {
  "en": "Prices",
  "zh-CN": "价格行情"
 },
 "prices.to": {
  "en": "To",
  "zh-CN": "到"
 },
 "prices.unit": {
  "en": "Unit",
  "zh-CN": "计价单位"
 },
 "prices.week": {
  "en": "Weekly",
  "zh-CN": "按周"
 },
 "region.all": {
  "en": "All Liaoning",
  "zh-CN": "全省（辽宁）"
 },
 "region.none": {
  "en": "Not given",
  "zh-CN": "未填写"
 },
 "region.whole": {
  "en": "whole city",
  "zh-CN": "全市"
 },
 "results.advanced": {
  "en": "Advanced",
  "zh-CN": "晋级"
 },
 "results.award": {
  "en": "Award",
  "zh-CN": "奖项"
 },
 "results.entry": {
  "en": "Entry",
  "zh-CN": "作品"
 },
 "results.notYet": {
  "en": "Results are not published yet.",
  "zh-CN": "结果尚未发布，请稍后再来。"
 },
 "results.place": {
  "en": "Place",
  "zh-CN": "名次"
 },
 "results.published": {
  "en": "Published {t}",
  "zh-CN": "发布于 {t}"
 },
 "results.region": {
  "en": "Region",
  "zh-CN": "地区"
 },
 "results.title": {
  "en": "Results",
  "zh-CN": "获奖名单"
 },
 "results.track": {
  "en": "Track",
  "zh-CN": "赛道"
 },
 "review.eligible": {
  "en": "Eligible",
  "zh-CN": "合格"
 },
 "review.ineligible": {
  "en": "Ineligible",
  "zh-CN": "不合格"
 },
 "role.admin": {
  "en": "Administrator",
  "zh-CN": "管理员"
 },
 "role.buyer": {
  "en": "Buyer",
  "zh-CN": "采购商"
 },
 "role.farmer": {
  "en": "Farmer",
  "zh-CN": "农户"
 },
 "role.judge": {
  "en": "Judge",
  "zh-CN": "评委"
 },
 "role.organizer": {
  "en": "Organiser",
  "zh-CN": "大赛组织者"
 },
 "round.mode.pairwise": {
  "en": "Pairwise",
  "zh-CN": "两两比较"
 },
 "round.mode.scores": {
  "en": "Scores",
  "zh-CN": "打分"
 },
 "scope.knowledge:read": {
  "en": "Q&A knowledge",
  "zh-CN": "农技问答"
 },
 "scope.prices:read": {
  "en": "Prices",
  "zh-CN": "价格行情"
 },
 "scope.registry:read": {
  "en": "Registry of farmers",
  "zh-CN": "农户名录"
 },
 "scope.supply:read": {
  "en": "Supply and demand (read)",
  "zh-CN": "供求信息（读）"
 },
 "scope.supply:write": {
  "en": "Supply and demand (post)",
  "zh-CN": "供求信息（发布）"
 },
 "sheet.comment": {
  "en": "Comment (optional)",
  "zh-CN": "评语（可选）"
 },
 "sheet.draft": {
  "en": "Draft saved",
  "zh-CN": "草稿已存"
 },
 "sheet.empty": {
  "en": "Not started",
  "zh-CN": "未评"
 },
 "sheet.filled": {
  "en": "{n} of {of} scored",
  "zh-CN": "已评 {n}/{of} 项"
 },
 "sheet.locked": {
  "en": "Submitted and locked",
  "zh-CN": "已提交，不能修改"
 },
 "sheet.missing": {
  "en": "Still to score: {names}",
  "zh-CN": "还有未评的项：{names}"
 },
 "sheet.notSaved": {
  "en": "Not saved yet",
  "zh-CN": "尚未保存"
 },
 "sheet.range": {
  "en": "{min}–{max}, weight {w}",
  "zh-CN": "{min}—{max} 分，权重 {w}"
 },
 "sheet.saveFailed": {
  "en": "Not saved; will retry on the next change.",
  "zh-CN": "保存失败，将在下次修改时重试。"
 },
 "sheet.savedAt": {
  "en": "Saved at {t}",
  "zh-CN": "已自动保存 {t}"
 },
 "sheet.saving": {
  "en": "Saving",
  "zh-CN": "保存中"
 },
 "sheet.submit": {
  "en": "Submit scores",
  "zh-CN": "提交评分"
 },
 "sheet.submitConfirm": {
  "en": "You cannot change it after submitting. Submit?",
  "zh-CN": "提交后不能修改，确定提交？"
 },
 "sheet.submitted": {
  "en": "Scores submitted",
  "zh-CN": "评分已提交"
 },
 "sheet.weighted": {
  "en": "weighted mean {v}",
  "zh-CN": "加权平均 {v}"
 },
 "stage.growing": {
  "en": "Growing",
  "zh-CN": "成长组"
 },
 "stage.idea": {
  "en": "Idea",
  "zh-CN": "创意组"
 },
 "stage.startup": {
  "en": "Start-up",
  "zh-CN": "初创组"
 },
 "status.cancelled": {
  "en": "Cancelled",
  "zh-CN": "已取消"
 },
 "status.closed": {
  "en": "Closed",
  "zh-CN": "已结束"
 },
 "status.live": {
  "en": "Live",
  "zh-CN": "竞拍中"
 },
 "status.scheduled": {
  "en": "Upcoming",
  "zh-CN": "未开始"
 },
 "supply.demand": {
  "en": "Request",
  "zh-CN": "求购"
 },
 "supply.kind": {
  "en": "Kind",
  "zh-CN": "类型"
 },
 "supply.negotiable": {
  "en": "Price to be agreed",
  "zh-CN": "面议"
 },
 "supply.new": {
  "en": "New post",
  "zh-CN": "发布供求"
 },
 "supply.none": {
  "en": "No posts.",
  "zh-CN": "暂无供求信息。"
 },
 "supply.post": {
  "en": "Post",
  "zh-CN": "发布"
 },
 "supply.posted": {
  "en": "Posted",
  "zh-CN": "已发布"
 },
 "supply.price": {
  "en": "Price (yuan per unit, optional)",
  "zh-CN": "价格（元/单位，可不填）"
 },
 "supply.priceHint": {
  "en": "Empty: to be agreed",
  "zh-CN": "不填为面议"
 },
 "supply.region": {
  "en": "Region",
  "zh-CN": "地区"
 },
 "supply.supply": {
  "en": "Offer",
  "zh-CN": "供应"
 },
 "supply.title": {
  "en": "Supply and demand",
  "zh-CN": "供求信息"
 },
 "supply.until": {
  "en": "until {d}",
  "zh-CN": "有效期至 {d}"
 },
 "supply.validUntil": {
  "en": "Valid until",
  "zh-CN": "有效期至"
 },
 "unit.case": {
  "en": "case",
  "zh-CN": "箱"
 },
 "unit.head": {
  "en": "head",
  "zh-CN": "头"
 },
 "unit.jin": {
  "en": "jin",
  "zh-CN": "斤"
 },
 "unit.kg": {
  "en": "kg",
  "zh-CN": "公斤"
 },
 "unit.t": {
  "en": "t",
  "zh-CN": "吨"
 },
 "watch.choose": {
  "en": "Choose auctions",
  "zh-CN": "选择要看的竞拍"
 },
 "watch.pick": {
  "en": "Up to {n}",
  "zh-CN": "最多选 {n} 场"
 },
 "watch.title": {
  "en": "Watch board",
  "zh-CN": "竞拍看板"
 }
};
// END TABLE

// The API's units (Quantity.unit) and their keys in the table.
export const UNITS = ['斤', '公斤', '吨', '箱', '头'];
const unitKeys = {'斤': 'unit.jin', '公斤': 'unit.kg', '吨': 'unit.t', '箱': 'unit.case', '头': 'unit.head'};

let current = (() => {
  try { const v = localStorage.getItem(KEY); if (LANGS.includes(v)) return v; } catch { /* private mode */ }
  return 'zh-CN'; // Chinese by default, whatever the phone's language
})();
document.documentElement.lang = current;

export function lang() { return current; }

const listeners = new Set();
export function onLang(fn) { listeners.add(fn); }

export function setLang(l) {
  if (!LANGS.includes(l) || l === current) return;
  current = l;
  try { localStorage.setItem(KEY, l); } catch { /* private mode */ }
  document.documentElement.lang = l;
  for (const fn of listeners) fn(l);
}

// t('auction.bids', {n: 3}) → "3 次出价"; an unknown key comes back as is
// (the Go test keeps that from shipping).
export function t(key, params) {
  const row = table[key];
  let s = row ? (row[current] ?? row['zh-CN']) : key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] ?? m));
  return s;
}

// unitName('斤') → "斤" or "jin".
export function unitName(u) {
  return unitKeys[u] ? t(unitKeys[u]) : (u || '');
}

// applyStatic translates the page shell: data-i18n (text) and
// data-i18n-label (aria-label).
export function applyStatic(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
}
