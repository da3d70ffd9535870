// A WeChat mini program's API client: the whole of the client side of sealed-session.
// `npm install sealed-session-miniprogram`, then "Tools > Build npm" in WeChat DevTools.
//
//   const api = require('../../utils/api.js')
//   await api.login()                                   // wx.login + POST /login/wechat
//   const me = await api.request({ url: '/me' })        // logs in again on a 401, once
//   await api.logout()                                  // POST /logout; the token is forgotten
const { create } = require('sealed-session-miniprogram')

module.exports = create({ platform: 'wx', baseUrl: 'https://api.example.com' })
