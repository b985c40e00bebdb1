/**
 * Copies text. The async Clipboard API is missing or refused in some webviews (WeCom's older
 * ones, insecure origins); the selection-based fallback still works there.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // fall through to the selection-based copy
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  try {
    // Deprecated but the only way left when the Clipboard API is refused.
    return document.execCommand('copy')
  } catch {
    return false
  } finally {
    area.remove()
  }
}
