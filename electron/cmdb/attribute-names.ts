/**
 * Attribute names as exports spell them: one column is "Support Group" in a spreadsheet, `support_group` in
 * ServiceNow and "support-group" elsewhere. Where the engine looks for an attribute by meaning (the identifying
 * ones, the contact fields), it compares names with case, spaces, `_`, `-` and `.` ignored.
 */

/** An attribute's name as compared: "Serial Number", "SerialNumber" and "serial-number" are `serialnumber`. */
export function attributeMatchName(name: string): string {
  return name.toLowerCase().replace(/[ _.-]/g, '');
}

/** attributeMatchName in SQL, of `json_each`'s `j.key`. */
export const MATCH_NAME_SQL = "lower(replace(replace(replace(replace(j.key, ' ', ''), '_', ''), '-', ''), '.', ''))";
