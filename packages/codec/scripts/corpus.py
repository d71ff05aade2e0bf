#!/usr/bin/env python3
import json
# Writes golden/corpus.json: the tricky Body texts (PROTOCOL §3 traps and the document's sample
# bodies) that scripts/golden.mjs runs through real PHP. Edit here, then run
#   python3 packages/codec/scripts/corpus.py && node packages/codec/scripts/golden.mjs
C = []
def add(name, body, obj=False, note=None):
    e = {"name": name, "body": body}
    if obj: e["object"] = True
    if note: e["note"] = note
    C.append(e)

# --- The document's bodies (the platform document) ---
add("doc quick-pay sample order (771, §3.1 request example)", """{
    "MERORDERID": "20170926151023152438",
    "AMT": "1234",
    "NAME": "张安",
    "PHONENO": "18826570890",
    "CARDNO": "6227000013830237349",
    "CARDTYPE": "1",
    "ID_NO": "23210219820916601X",
    "EXPDATE": "01117",
    "CVN2": "344",
    "NOTIFY_URL": "http://ib.fxclouds.com/Notify/MerPay_notify_url",
    "RANDSTR": "123456"
  }""", obj=True)
add("doc quick-pay success response body (35095 example)", """{
    "AMT": "1234",
    "LIST_ID": "100000001467",
    "MERORDERID": "123",
    "MER_ID": "001100098147733",
    "NOTIFY_DATE": "20171122090622",
    "PAY_DATE": "20171122090622",
    "STATUS": "1"
  }""", obj=True)
add("doc four-elements error body with \\u-escaped Chinese (33539 example, completed)",
    '{"ERRCODE":"D4","ERRMSG":"\\u8981\\u7d20\\u4e0d\\u5339\\u914d","LIST_ID":"10000004985","MERORDERID":"20170926151023152438","STATUS":"2"}', obj=True)
add("doc notification body (35104 example, completed)",
    '{"AMT":"200","BANK_NAME":"农业银行","CARDNO":"62284**********1234","LIST_ID":"100000004985","MERORDERID":"20170926151023152438","NOTIFY_DATE":"20171122090622","PAY_DATE":"20171122090622","PUSH_COUNT":1,"STATUS":"1"}', obj=True)
add("doc gateway notification body (GOODSNAME example, completed)",
    '{ "AMT": "666", "GOODSNAME": "product", "LIST_ID": "10000000496", "MERORDERID": "201801011200001", "STATUS": "1" }', obj=True)
add("doc batch query body with nested list BIZ_CONTENT (33545 example, completed)",
    '{"BIZ_CONTENT":[{"STATUS":"1","LIST_ID":"1000000049","AMT":"100"},{"STATUS":"0","LIST_ID":"1000000050","AMT":"200"}],"PAGE":"1","TOTAL":"2"}', obj=True)
add("doc batch query body with BIZ_CONTENT object (gateway 33545 example)",
    '{"BIZ_CONTENT":{"STATUS":"1","LIST_ID":"10000000496"}}', obj=True)
add("doc scan-code example Body with a trailing comma (invalid JSON in the document)",
    '{\n    "AMT":"1",\n    "RANDSTR":"1",\n    "MERORDER":"1",\n  }')
add("doc negative response Body (empty string): not an array", '""')

# --- ksort: top level only, SORT_REGULAR (PROTOCOL §3) ---
add("PROTOCOL §3 mixed numeric keys", '{"10":1,"9":2,"A":3,"-1":4,"01":5,"1.5":6}')
add("byte order of non-numeric keys", '{"_A":1,"B":2,"A_":3,"AB":4,"a":5,"Z":6}', obj=True)
add("nested objects keep their order", '{"b":{"z":1,"a":2,"m":{"y":1,"b":2}},"a":[{"k":1,"c":2}]}', obj=True)
add("numeric strings with whitespace, sign, exponent, hex", '{" 9":1,"9 ":2,"1e1":3,"0x1A":4,".5":5,"-0":6,"+1":7,"1.0":8,"1":9,"01":10,"\\t3":11,"1e":12}')
add("integer vs non-numeric string keys: a non-transitive cycle (2 < 10 < 1a < 2)", '{"2":1,"10":2,"1a":3}')
add("cycle, other input order", '{"1a":1,"10":2,"2":3}')
add("cycle, third order", '{"10":1,"1a":2,"2":3}')
add("int64 keys and overflowing numeric keys", '{"9223372036854775807":1,"9223372036854775808":2,"-9223372036854775808":3,"-9223372036854775809":4,"99999999999999999999":5,"1e400":6,"-1e400":7,"0":8}')
add("equal numeric keys keep input order (stable sort)", '{"1.0":"a","1":"b","01":"c","1e0":"d"," 1":"e","1 ":"f"}')
add("more than 16 mixed keys (zend_sort quicksort path)", '{' + ','.join('"%s":%d' % (k, i) for i, k in enumerate(
    ["b","10","2","1a","a","-3","3.5","x9","07","Z","_","","100","1e2","9","99a"," 5","A","aa","-1","0"])) + '}')
add("40 mixed keys", '{' + ','.join('"%s":%d' % (k, i) for i, k in enumerate(
    [str(x) for x in [5, 40, 3, 22, 17]] + ["k%d" % x for x in range(10)] + ["%da" % x for x in range(12)] + ["0%d" % x for x in range(8)] + [" 4", "1.5", "-2", "1e1", "Z"])) + '}')
add("1100 keys (zend_sort 5-element pivot path)", '{' + ','.join('"%s":%d' % (k, i) for i, k in enumerate(
    [("%d" % ((i * 7919) % 1100)) if i % 3 == 0 else ("%da" % ((i * 104729) % 997)) if i % 3 == 1 else ("K%05d" % ((i * 31) % 1100)) for i in range(1100)])) + '}')
add("unicode keys sort by UTF-8 bytes", '{"中":1,"é":2,"\\uffff":3,"😀":4,"z":5,"\\ue000":6,"Ω":7}')
add("keys that are JS prototype names", '{"__proto__":{"polluted":true},"constructor":1,"toString":2,"hasOwnProperty":3,"":4}')

# --- json_encode escaping ---
add("slashes escaped \\/ (and the unescaped-slashes variant)", '{"NOTIFY_URL":"http://www.abc.com/a/b","X":"\\/already\\/escaped"}', obj=True)
add("U+2028 and U+2029, raw and escaped", '{"A":"a\u2028b\u2029c","B":"\\u2028\\u2029"}', obj=True)
add("control characters and DEL", '{"C":"\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\\u007f\u007f","D":"quote \\" backslash \\\\"}', obj=True)
add("non-ASCII raw and escaped, astral pairs", '{"CN":"中文\\u4e2d","EMOJI":"😀\\ud83d\\ude00","LATIN":"é\\u00E9","BOM":"\\ufeff"}', obj=True)
add("escapes in keys", '{"a\\/b":1,"a\\nb":2,"\\u0041":3,"A\\u0000":4}')

# --- numbers ---
add("int64 integers beyond 2^53", '{"A":123456789012345678,"B":9223372036854775807,"C":-9223372036854775808,"D":9007199254740993,"E":-9007199254740993}')
add("integers beyond int64 become floats", '{"A":9223372036854775808,"B":-9223372036854775809,"C":18446744073709551616,"D":123456789012345678901234567890}')
add("PHP float formatting", '{"A":1e16,"B":1e17,"C":0.0001,"D":0.00001,"E":100.0,"F":2.50,"G":-0.0,"H":0.1,"I":1.5e300,"J":5e-324,"K":1E2,"L":123.456e-10,"M":0.30000000000000004,"N":1.7976931348623157e308,"O":-1.5E-7,"P":12345678901234567890.5,"Q":1e-4,"R":0.1e1}')
add("-0 integer, -0.0 float, 0e0", '{"A":-0,"B":-0.0,"C":0e0,"D":-0e-0,"E":0}')
add("float overflow to INF: json_encode fails", '{"A":1e400}')
add('"1" and 1 sign differently: string', '{"AMT":"1"}', obj=True)
add('"1" and 1 sign differently: number', '{"AMT":1}', obj=True)

# --- arrays ---
add("{} becomes []", '{"A":{},"B":[],"C":{"x":{}}}', obj=True)
add("top-level {}", '{}', obj=True)
add("top-level []", '[]', obj=True)
add("top-level list stays a list", '[3,1,"x",{"b":1,"a":2}]', obj=True)
add("keys 0..n-1 in order make a list (nested)", '{"L":{"0":"a","1":"b","2":"c"},"M":{"1":"a","0":"b"},"N":{"0":"a","2":"c"}}')
add("top-level keys 1,0 become a list after ksort", '{"1":"a","0":"b"}')
add("top-level keys 0..2 shuffled", '{"2":"c","0":"a","1":"b"}')
add("duplicate keys: first position, last value", '{"a":1,"b":2,"a":3,"c":{"x":1,"y":2,"x":{"z":1}}}')
add("duplicate list keys", '{"0":"a","0":"b"}')
add("values of every type", '{"S":"","T":true,"F":false,"N":null,"I":0,"NEG":-5,"ARR":[[],[[]],{}]}', obj=True)
add("whitespace everywhere", ' \n\t\r{ "b" : [ 1 , 2 ] ,\n "a" : { } } \n')

# --- depth (json_decode depth 512: 511 nested levels decode) ---
add("511 nested levels decode", '{"A":' + '[' * 510 + ']' * 510 + '}')
add("512 nested levels fail", '{"A":' + '[' * 511 + ']' * 511 + '}')

# --- errors ---
add("lone high surrogate escape", '{"A":"\\ud800"}')
add("lone low surrogate escape", '{"A":"x\\udc00"}')
add("high surrogate followed by non-low escape", '{"A":"\\ud800\\u0041"}')
add("raw lone surrogate in a value (invalid UTF-8 on the wire)", '{"A":"x\ud800y"}')
add("raw lone surrogate in a key", '{"K\udc00":"v"}')
add("raw control character in a string", '{"A":"a\tb"}')
add("trailing comma in array", '{"A":[1,]}')
add("single quotes", "{'A':1}")
add("TRUE is not a literal", '{"A":TRUE}')
add("leading zero", '{"A":01}')
add("bare decimal point", '{"A":1.}')
add("invalid escape", '{"A":"\\x41"}')
add("BOM before the text", '\ufeff{"A":1}')
add("two values", '{"A":1} {"B":2}')
add("empty text", '')
add("top-level string: not an array", '"abc"')
add("top-level number: not an array", '42')

out = []
for e in C:
    try:
        s = json.dumps(e, ensure_ascii=False)
        s.encode('utf-8')
    except UnicodeEncodeError:
        s = json.dumps(e, ensure_ascii=True)
    out.append('  ' + s)
import os
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'golden', 'corpus.json'), 'w', encoding='utf-8').write('[\n' + ',\n'.join(out) + '\n]\n')
print(len(C))
