// One uni-app build on Kuaishou (uniPlatform 'mp-kuaishou'): the uni adapter logs in at
// /login/kuaishou, posting uni.login's code.
import { adapterSuite } from './suite.js'
import { kuaishouLogin } from './logins.js'

adapterSuite('uni', { ...kuaishouLogin, env: 'mp-kuaishou' })
