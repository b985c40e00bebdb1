import { showDialog, showToast } from 'vant'
import 'vant/es/dialog/style/index'
import 'vant/es/toast/style/index'

// Loaded when a WeCom action first needs to say something: not needed to render any page.
export { showDialog, showToast }
