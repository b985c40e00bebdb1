import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { dropWechatRedirectFragment } from './lib/oauth-fragment'
import { createAppRouter } from './router'
import './styles/base.css'

dropWechatRedirectFragment()
const pinia = createPinia()
createApp(App).use(pinia).use(createAppRouter(pinia)).mount('#app')
