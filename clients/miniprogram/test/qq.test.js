// The qq adapter against the login example and a stand-in for the platform's login API, its
// documented shapes mirrored by the fake platform object.
import { adapterSuite } from './suite.js'
import { qqLogin } from './logins.js'

adapterSuite('qq', qqLogin)
