// One uni-app build on Baidu (uniPlatform 'mp-baidu'): the uni adapter logs in at /login/baidu,
// posting uni.login's code.
import { adapterSuite } from './suite.js'
import { baiduLogin } from './logins.js'

adapterSuite('uni', { ...baiduLogin, env: 'mp-baidu' })
