import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { followColorScheme } from './lib/color-scheme'
import { dropWechatRedirectFragment } from './lib/oauth-fragment'
import { createAppRouter } from './router'
import './styles/base.css'

dropWechatRedirectFragment()
followColorScheme()
const pinia = createPinia()
createApp(App).use(pinia).use(createAppRouter(pinia)).mount('#app')
