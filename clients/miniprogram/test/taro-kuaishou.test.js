// One Taro build on Kuaishou (@tarojs/plugin-platform-kwai: Taro.getEnv() is the build's
// TARO_ENV, 'kwai'): the taro adapter logs in at /login/kuaishou with the code Taro.login gives.
import { adapterSuite } from './suite.js'
import { kuaishouLogin } from './logins.js'

adapterSuite('taro', { ...kuaishouLogin, env: 'kwai' })
