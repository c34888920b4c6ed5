rule Test_Marker : testtag
{
    meta:
        description = "csirt test marker"
        score = 75
    strings:
        $a = "CSIRT-TEST-MARKER"
    condition:
        $a and filename matches /\.bin$/
}
