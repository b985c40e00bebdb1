import { showConfirmDialog, showToast } from 'vant'
import 'vant/es/dialog/style/index'
import 'vant/es/toast/style/index'

// Loaded on demand from the sign-out button: dialogs and toasts are not needed to render /me.
export { showConfirmDialog, showToast }
