// One uni-app build on Douyin (uniPlatform 'mp-toutiao'): the uni adapter logs in at
// /login/douyin, posting tt.login's code and anonymous code as uni.login gives them.
import { adapterSuite } from './suite.js'
import { douyinLogin } from './logins.js'

adapterSuite('uni', { ...douyinLogin, env: 'mp-toutiao' })
