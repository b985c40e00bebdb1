import { doctorEn, doctorZh } from './setup-doctor-messages'
import { guideEn, guideZh } from './setup-guide-messages'
import { settingsEn, settingsZh } from './setup-settings-messages'

/** Admin console text (setup pages). zh-CN is the source; en must carry every key. */
export const setupZh = { ...guideZh, ...settingsZh, ...doctorZh }
export const setupEn: Record<keyof typeof setupZh, string> = { ...guideEn, ...settingsEn, ...doctorEn }
