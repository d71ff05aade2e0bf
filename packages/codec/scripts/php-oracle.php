<?php
// The judge (PROTOCOL §3): what the PHP platform computes for a received Body, with PHP's own
// functions. Reads one JSON object per line on stdin: {"id":..,"b64":"<base64 of the Body's raw
// bytes>","key":"<md5 key>","depth":512}; writes one JSON object per line on stdout:
//   {"id":..,"error":"<json_last_error_msg>"}                         when json_decode fails
//   {"id":..,"reencode":"..."|null,"reencodeError":..,                 json_encode($v, JSON_UNESCAPED_UNICODE)
//    "signing":{"default":..,"unescapedSlashes":..,"escapedUnicode":..} (null when not an array / encode fails)
//    "sign":{...same keys: strtoupper(md5(signing . '&key=' . key))}, "signError": ..}
// Used by scripts/golden.mjs (golden vectors) and test/php-differential.ci.test.ts (live).
ini_set('serialize_precision', '-1');
$variants = [
    'default' => JSON_UNESCAPED_UNICODE,
    'unescapedSlashes' => JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES,
    'escapedUnicode' => 0,
];
$out = fopen('php://stdout', 'w');
while (($line = fgets(STDIN)) !== false) {
    $line = trim($line);
    if ($line === '') continue;
    $case = json_decode($line, true);
    $raw = base64_decode($case['b64']);
    $key = $case['key'];
    $depth = isset($case['depth']) ? (int)$case['depth'] : 512;
    $r = ['id' => $case['id']];
    $v = json_decode($raw, true, $depth);
    if (json_last_error() !== JSON_ERROR_NONE) {
        $r['error'] = json_last_error_msg();
    } else {
        $re = json_encode($v, JSON_UNESCAPED_UNICODE);
        $r['reencode'] = $re === false ? null : $re;
        if ($re === false) $r['reencodeError'] = json_last_error_msg();
        if (is_array($v)) {
            ksort($v);
            $r['signing'] = [];
            $r['sign'] = [];
            foreach ($variants as $name => $flags) {
                $s = json_encode($v, $flags);
                if ($s === false) {
                    $r['signError'] = json_last_error_msg();
                    $r['signing'][$name] = null;
                    $r['sign'][$name] = null;
                } else {
                    $r['signing'][$name] = $s;
                    $r['sign'][$name] = strtoupper(md5($s . '&key=' . $key));
                }
            }
        } else {
            $r['signError'] = 'not an array';
        }
    }
    fwrite($out, json_encode($r, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE) . "\n");
}
