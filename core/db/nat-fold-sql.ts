/**
 * One connection, one listed row: the post-NAT half is folded into the pre-NAT (pod-side) one; when
 * both halves look alike (equal sides), into the lower id. Analyses still read both halves (SNAT
 * ports need the post-NAT tuple); listings and display filters skip rows with `folded_into` set.
 */
export const FOLD_NAT_HALVES_SQL = `UPDATE flows SET folded_into = NULL WHERE folded_into IS NOT NULL;
UPDATE flows SET folded_into = nat_peer WHERE nat_side IS NOT NULL AND (
    CASE WHEN nat_side = (SELECT p.nat_side FROM flows p WHERE p.id = flows.nat_peer) THEN nat_peer < id ELSE nat_side = 'post' END);`;
