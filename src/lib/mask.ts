/** What stands in any text where a secret was: the redactor writes it, and URLs are shown with it. */
export const MASK = '***'
